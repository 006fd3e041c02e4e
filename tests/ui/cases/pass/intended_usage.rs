//! The intended usage compiles: positional required inputs, optional setters, typed ids,
//! enums, user tokens where allowed, per-endpoint errors with a catch-all arm.
use lark_client::baike_v1::{self, DisplayStatus, EntityBody, EntityGetError, FileToken, Term, UserIdType};

async fn usage(client: baike_v1::Client) {
    let _ = client.entity().get("enterprise_1").user_id_type(UserIdType::UserId).provider("star").send().await;
    let body = EntityBody {
        description: Some("A definition.".into()),
        ..EntityBody::new(vec![Term::new("Lark".into(), DisplayStatus::new(true, true))])
    };
    let _ = client.entity().create(body).user_access_token("u-token").send().await;
    let _ = client.file().download(FileToken::new("box")).send().await;
    let _stream = client.entity().search().page_size(10).stream();
    match client.entity().get("enterprise_1").send().await {
        Ok(data) => drop(data.entity.map(|entity| entity.main_keys)),
        Err(EntityGetError::InvalidParam(api)) => drop(api.log_id),
        Err(other) => {
            let _: (Option<i64>, Option<&str>, Option<u16>, bool) =
                (other.code(), other.log_id(), other.http_status(), other.is_retryable());
        }
    }
}

fn main() {
    let _ = usage;
}
