//! An app that includes the build.rs output privately: only what it uses is used, and the
//! rest of the generated code must not warn.
//!
//! With `LARK_APP_ID` and `LARK_APP_SECRET` set it lists one page of the tenant's Baike
//! classifications (`LARK_BASE_URL` overrides the host); without them it prints what it would call.

mod lark {
    include!(concat!(env!("OUT_DIR"), "/larkgen.rs"));
}

use lark::baike_v1;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = &baike_v1::endpoints::CLASSIFICATION_LIST;
    let (Ok(app_id), Ok(secret)) = (std::env::var("LARK_APP_ID"), std::env::var("LARK_APP_SECRET")) else {
        println!("{} {}: {}", endpoint.method, endpoint.path, endpoint.summary);
        println!("set LARK_APP_ID and LARK_APP_SECRET (and optionally LARK_BASE_URL) to call it");
        return Ok(());
    };
    let mut builder = lark::builder().app_credentials(app_id, secret);
    if let Ok(base) = std::env::var("LARK_BASE_URL") {
        builder = builder.base_url(base);
    }
    let baike = baike_v1::Client::new(builder.build()?);
    let page = baike.classification().list().page_size(20).send().await?;
    for c in page.items.unwrap_or_default() {
        println!("{} {}", c.id.as_str(), c.name.unwrap_or_default());
    }
    Ok(())
}
