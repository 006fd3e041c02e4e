//! The official Lingo v1 example request bodies (tests/fixtures/api/lingo_*.request.json),
//! built with the generated request types. Shared by `lingo.rs` (which proves each built
//! body serializes to its fixture) and `endpoints.rs` (which sends them).

use lark_client::lingo_v1::*;

use super::DEFINITION;

pub fn shown(key: &str) -> Term {
    Term::new(key.into(), DisplayStatus::new(true, true))
}

pub fn rich(text: &str) -> String {
    format!("<p>{text}</p>")
}

/// The one internationalized definition every example carries.
pub fn chinese_desc() -> I18nEntryDesc {
    I18nEntryDesc {
        description: Some("国际化中文释义".into()),
        rich_text: Some(rich("国际化中文释义")),
        ..I18nEntryDesc::new(Language::Chinese)
    }
}

pub fn link(title: &str, url: &str) -> LinkRef {
    LinkRef { title: Some(title.into()), url: Some(url.into()) }
}

/// `related_meta` of the four entry examples (identical in all of them).
pub fn related_meta() -> RelatedMetaInput {
    RelatedMetaInput {
        users: Some(vec![
            UserRef { title: Some("负责人".into()), ..UserRef::new("ou_30b07b6****ea46518789914dac63d36") },
            UserRef { title: Some(String::new()), ..UserRef::new("ou_b292c0****c14754639fa4501e80c36a") },
        ]),
        chats: Some(vec![
            ChatRef::new("oc_c13831833e****92c52befa759ea4806"),
            ChatRef::new("oc_c8161c910****a24127e73b10233b295"),
        ]),
        docs: Some(vec![
            link("猜你想问 / FAQs", "https://example.feishu.cn/wiki/wikcnZ8Lq4f9DMCDOtdcIzCUjAh"),
            link(
                "快速了解飞书文档 | Introducing Feishu Docs",
                "https://example.feishu.cn/docs/doccnxlVCCFjMsJE15I7PLAjIWc",
            ),
        ]),
        links: Some(vec![link("飞书官网", "https://feishu.cn")]),
        oncalls: Some(vec![OncallRef::new("702368904****548034"), OncallRef::new("70240637****0910850")]),
        abbreviations: Some(
            ["enterprise_44***90", "enterprise_70348****374354564", "enterprise_70365****3106796547"]
                .into_iter()
                .map(|id| AbbreviationRef { id: Some(id.into()) })
                .collect(),
        ),
        classifications: Some(vec![ClassificationRef {
            father_id: Some("7049606926****37777".into()),
            ..ClassificationRef::new("7049606926****37761")
        }]),
        images: Some(vec![BaikeImage::new("boxbcEcmKiD3SGHvgqWTpvdc7jc")]),
    }
}

/// A Lingo entry example of type `$ty`: the fields every one of them has, and `$field`s.
macro_rules! entry {
    ($ty:ident { $($field:ident: $value:expr),* $(,)? }) => {
        $ty {
            $($field: $value,)*
            aliases: Some(vec![shown("词典")]),
            description: Some(DEFINITION.into()),
            rich_text: Some(rich(DEFINITION)),
            i18n_descs: Some(vec![chinese_desc()]),
            related_meta: Some(related_meta()),
            ..$ty::new(vec![shown("飞书词典")])
        }
    };
}

/// lingo_entities_create.request.json and lingo_entities_update.request.json (the same body).
pub fn entity_body() -> EntityBody {
    entry!(EntityBody { outer_info: Some(OuterInfo::new("星云".into(), "client_653****98d".into())) })
}

/// lingo_drafts_create.request.json
pub fn draft_create_body() -> DraftCreateBody {
    entry!(DraftCreateBody {
        id: Some(EntityId::new("enterprise_40217***521")),
        outer_info: Some(OuterInfo::new("星云".into(), "client_653****98d".into())),
    })
}

/// lingo_drafts_update.request.json (no `outer_info` in a draft update).
pub fn draft_update_body() -> DraftUpdateBody {
    entry!(DraftUpdateBody { id: Some(EntityId::new("enterprise_40217***521")) })
}

alike_bodies!(search: "飞书词典");
