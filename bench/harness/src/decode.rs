//! Decoding alone: the `data` of the server's `entity.get` answer, and a page of 500 such
//! entities, into the generated types (`FromJson` over `rt::decode::Tree`, through their
//! `Deserialize`) and into `#[derive(Deserialize)]` structs of the same shape (what serde's
//! visitors, straight from the bytes, cost). Time and allocations per decoding.

use std::hint::black_box;
use std::time::Instant;

use lark_client::baike_v1::{EntityData, EntityListData};
use serde::Deserialize;

use crate::Args;
use crate::alloc::snapshot;

// The shape of `server::ENTITY_JSON`'s entity, derived: every field the generated type has
// for it, optional where the spec makes it so.
#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedData {
    entity: Option<DerivedEntity>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedPage {
    entities: Option<Vec<DerivedEntity>>,
    page_token: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedEntity {
    id: Option<String>,
    main_keys: Vec<DerivedTerm>,
    aliases: Option<Vec<DerivedTerm>>,
    description: Option<String>,
    creator: Option<String>,
    create_time: Option<String>,
    updater: Option<String>,
    update_time: Option<String>,
    related_meta: Option<DerivedRelatedMeta>,
    statistics: Option<DerivedStatistics>,
    outer_info: Option<DerivedOuterInfo>,
    source: Option<i32>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedTerm {
    key: String,
    display_status: Option<DerivedDisplayStatus>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedDisplayStatus {
    allow_highlight: bool,
    allow_search: bool,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedRelatedMeta {
    users: Option<Vec<DerivedReferer>>,
    classifications: Option<Vec<DerivedClassification>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedReferer {
    id: String,
    title: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedClassification {
    id: String,
    father_id: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedStatistics {
    like_count: i64,
    dislike_count: i64,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedOuterInfo {
    provider: String,
    outer_id: String,
}

/// Time (µs) and allocations of one decoding of `json` as `T`, over `reps` decodings.
fn measure<T: for<'de> Deserialize<'de>>(json: &str, reps: u32) -> (f64, f64) {
    black_box(serde_json::from_str::<T>(json).expect("decodes"));
    let (a0, _) = snapshot();
    let t0 = Instant::now();
    for _ in 0..reps {
        black_box(serde_json::from_str::<T>(json).expect("decodes"));
    }
    let us = t0.elapsed().as_secs_f64() * 1e6 / f64::from(reps);
    let (a1, _) = snapshot();
    (us, (a1 - a0) as f64 / f64::from(reps))
}

/// `larkbench decode --mode gen|raw`: one JSON object with `entity_us`, `entity_allocs`,
/// `page_us`, `page_allocs`.
pub fn decode(args: &Args) -> String {
    let envelope: serde_json::Value = serde_json::from_str(crate::server::ENTITY_JSON).expect("fixture");
    let entity = envelope["data"].to_string();
    let item = envelope["data"]["entity"].to_string();
    let page = format!(r#"{{"entities":[{}],"page_token":"next"}}"#, vec![item.as_str(); 500].join(","));
    let (entity, page) = match args.mode() {
        crate::Mode::Raw => (measure::<DerivedData>(&entity, 20_000), measure::<DerivedPage>(&page, 40)),
        _ => (measure::<EntityData>(&entity, 20_000), measure::<EntityListData>(&page, 40)),
    };
    serde_json::json!({
        "entity_us": entity.0, "entity_allocs": entity.1, "page_us": page.0, "page_allocs": page.1,
    })
    .to_string()
}
