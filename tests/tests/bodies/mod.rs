//! The official example request bodies (tests/fixtures/api/*.request.json), built with the
//! generated request types, and fixture loading. Shared by `fixtures.rs` (which proves each
//! built body serializes to its fixture) and `endpoints.rs` (which sends them); Lingo's are
//! in `lingo.rs` here.
#![allow(dead_code)]

use lark_client::baike_v1::*;
use serde_json::Value;
use wiremock::ResponseTemplate;

/// A fixture file of tests/fixtures/api, parsed.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/fixtures/api/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"))
}

/// The `data` of a response fixture (after checking its envelope says success).
pub fn fixture_data(name: &str) -> Value {
    let envelope = fixture(name);
    assert_eq!(envelope["code"], 0, "{name}: code");
    assert_eq!(envelope["msg"], "success", "{name}: msg");
    envelope["data"].clone()
}

/// A response fixture as the server's answer.
pub fn example(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("X-Tt-Logid", "log-ok").set_body_json(fixture(name))
}

/// The definition every example uses.
pub const DEFINITION: &str = "词典是飞书提供的一款知识管理工具，通过飞书词典可以帮助企业将分散的知识信息进行聚合，并通过UGC的方式，促进企业知识的保鲜和流通";

/// A name shown everywhere (highlight and search allowed).
pub fn shown(key: &str) -> Term {
    Term::new(key.into(), DisplayStatus::new(true, true))
}

fn user(id: &str, title: &str) -> UserRef {
    UserRef { title: Some(title.into()), ..UserRef::new(id) }
}

fn link(title: &str, url: &str) -> LinkRef {
    LinkRef { title: Some(title.into()), url: Some(url.into()) }
}

fn abbreviation(id: &str) -> AbbreviationRef {
    AbbreviationRef { id: Some(id.into()) }
}

fn classification(id: &str, father_id: &str) -> ClassificationRef {
    ClassificationRef { father_id: Some(father_id.into()), ..ClassificationRef::new(id) }
}

/// The two docs every entry example links.
fn help_docs() -> Vec<LinkRef> {
    vec![
        link("猜你想问 / FAQs", "https://bytedance.feishu.cn/wiki/wikcnZ8Lq4f9DMCDOtdcIzCUjAh"),
        link(
            "快速了解飞书文档 | Introducing Feishu Docs",
            "https://bytedance.feishu.cn/docs/doccnxlVCCFjMsJE15I7PLAjIWc",
        ),
    ]
}

/// The ids that differ between the entry examples (the docs masked them differently).
struct MetaIds<'a> {
    abbreviations: [&'a str; 3],
    chats: [&'a str; 2],
    oncalls: [&'a str; 2],
    users: [&'a str; 2],
    classification: &'a str,
    image: &'a str,
}

fn entry_meta(ids: MetaIds<'_>) -> RelatedMetaInput {
    RelatedMetaInput {
        abbreviations: Some(ids.abbreviations.iter().map(|id| abbreviation(id)).collect()),
        chats: Some(ids.chats.iter().map(|id| ChatRef::new(*id)).collect()),
        docs: Some(help_docs()),
        links: Some(vec![link("飞书官网", "https://feishu.cn")]),
        oncalls: Some(ids.oncalls.iter().map(|id| OncallRef::new(*id)).collect()),
        users: Some(vec![user(ids.users[0], "负责人"), user(ids.users[1], "")]),
        classifications: Some(vec![classification(ids.classification, "7049606926****37777")]),
        images: Some(vec![BaikeImage::new(ids.image)]),
    }
}

/// entities_create.request.json
pub fn entity_create_body() -> EntityBody {
    EntityBody {
        aliases: Some(vec![shown("词典")]),
        description: Some(DEFINITION.into()),
        related_meta: Some(entry_meta(MetaIds {
            abbreviations: ["enterprise_44***90", "enterprise_70348****374354564", "enterprise_70365****3106796547"],
            chats: ["oc_c13831833e****92c52befa759ea4806", "oc_c8161c910****a24127e73b10233b295"],
            oncalls: ["702368904****548034", "70240637****0910850"],
            users: ["ou_30b07b6****ea46518789914dac63d36", "ou_b292c0****c14754639fa4501e80c36a"],
            classification: "7049606926****37761",
            image: "boxbcEcmKiD3SGHvgqWTpvdc7jc",
        })),
        outer_info: Some(OuterInfo::new("星云".into(), "client_653****98d".into())),
        rich_text: Some(DEFINITION.into()),
        ..EntityBody::new(vec![shown("飞书词典")])
    }
}

/// entities_update.request.json
pub fn entity_update_body() -> EntityBody {
    EntityBody {
        aliases: Some(vec![shown("词典")]),
        description: Some(DEFINITION.into()),
        related_meta: Some(entry_meta(MetaIds {
            abbreviations: ["enterprise_445***90", "enterprise_7034***93374354564", "enterprise_70365***93106796547"],
            chats: ["oc_c13831833e****92c52befa759ea4806", "oc_c8161c9109****24127e73b10233b295"],
            oncalls: ["70236890494****8034", "70240637875****0850"],
            users: ["ou_30b07b630****46518789914dac63d36", "ou_b292c0d2****4754639fa4501e80c36a"],
            classification: "7049606926702837761",
            image: "boxbcEcmKi****HvgqWTpvdc7jc",
        })),
        outer_info: Some(OuterInfo::new("星云".into(), "client_6539***98d".into())),
        rich_text: Some(DEFINITION.into()),
        ..EntityBody::new(vec![shown("飞书词典")])
    }
}

/// drafts_create.request.json (the official example uses a placeholder as user/chat/on-call id).
pub fn draft_create_body() -> DraftCreateBody {
    const PLACEHOLDER: &str = "格式请看请求体示例";
    const HELP: &str = "飞书词典帮助中心";
    const HELP_URL: &str = "https://www.feishu.cn/hc/zh-CN";
    DraftCreateBody {
        id: Some(EntityId::new("enterprise_40217521")),
        aliases: Some(vec![shown("飞书词典")]),
        description: Some(DEFINITION.into()),
        related_meta: Some(RelatedMetaInput {
            users: Some(vec![user(PLACEHOLDER, HELP)]),
            chats: Some(vec![ChatRef::new(PLACEHOLDER)]),
            docs: Some(vec![link(HELP, HELP_URL)]),
            oncalls: Some(vec![OncallRef::new(PLACEHOLDER)]),
            links: Some(vec![link(HELP, HELP_URL)]),
            abbreviations: Some(vec![abbreviation("enterprise_51527260")]),
            classifications: Some(vec![classification("7049606926****37761", "7049606926****37777")]),
            images: Some(vec![BaikeImage::new("boxbcEcmKiDia3evgqWTpvdc7jc")]),
        }),
        outer_info: Some(OuterInfo::new("星云".into(), "client_653267498d".into())),
        rich_text: Some(
            "&lt;b&gt;加粗&lt;/b&gt;&lt;i&gt;斜体&lt;/i&gt;&lt;p&gt;&lt;a href=\"https://feishu.cn\"&gt;链接&lt;/a&gt;&lt;/p&gt;\
             &lt;p&gt;&lt;span&gt;"
                .to_owned()
                + DEFINITION
                + "&lt;/span&gt;&lt;/p&gt;",
        ),
        ..DraftCreateBody::new(vec![shown("飞书词典")])
    }
}

/// drafts_update.request.json
pub fn draft_update_body() -> DraftUpdateBody {
    DraftUpdateBody {
        id: Some(EntityId::new("enterprise_402***21")),
        aliases: Some(vec![shown("词典")]),
        description: Some(DEFINITION.into()),
        related_meta: Some(entry_meta(MetaIds {
            abbreviations: ["enterprise_44***90", "enterprise_703***393374354564", "enterprise_703659***3106796547"],
            chats: ["oc_c13831833e***c92c52befa759ea4806", "oc_c8161c9109***a24127e73b10233b295"],
            oncalls: ["702368904***5548034", "702406378***0910850"],
            users: ["ou_30b07b63089e***518789914dac63d36", "ou_b292c0d285c****4639fa4501e80c36a"],
            classification: "704960692670****761",
            image: "boxbcEcm****SGHvgqWTpvdc7jc",
        })),
        rich_text: Some(DEFINITION.into()),
        ..DraftUpdateBody::new(vec![shown("飞书词典")])
    }
}

/// extract_body() of entities_extract.request.json (Baike only).
pub fn extract_body() -> EntityExtractBody {
    EntityExtractBody {
        text: Some("飞书词典是一部高效汇聚企业内各类信息，并可由企业成员参与编辑的在线词典".into())
    }
}

/// Writes `match_body()`, `search_body()`, `highlight_body()` (the `entities_*.request.json`
/// examples) and `upload_form()` for the generated types in scope: Baike's and Lingo's
/// examples are the same but for the search query, and each service has its own types.
macro_rules! alike_bodies {
    (search: $query:literal) => {
        /// entities_match.request.json
        pub fn match_body() -> EntityMatchBody {
            EntityMatchBody::new("飞书词典")
        }

        /// entities_search.request.json
        pub fn search_body() -> EntitySearchBody {
            EntitySearchBody {
                query: Some($query.into()),
                classification_filter: Some(ClassificationFilter {
                    include: Some(vec!["7195482254012055580".into()]),
                    exclude: Some(vec!["7195482254012055581".into()]),
                }),
                sources: Some(vec![EntitySource::UserCreated]),
                creators: Some(vec!["ou_30b07b63089ea46518789914dac63d36".into()]),
            }
        }

        /// entities_highlight.request.json
        pub fn highlight_body() -> EntityHighlightBody {
            EntityHighlightBody::new("词典是飞书提供的一款知识管理工具")
        }

        /// A small upload form that passes the size check.
        pub fn upload_form() -> FileUploadForm {
            FileUploadForm::new("cat.png".into(), vec![9u8; 4096].into())
        }
    };
}

alike_bodies!(search: "词典");

// After the macro: `lingo.rs` uses it.
pub mod lingo;
