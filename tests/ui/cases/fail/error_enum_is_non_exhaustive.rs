use lark_client::baike_v1::FileDownloadError;
fn describe(e: FileDownloadError) -> &'static str {
    match e {
        FileDownloadError::InvalidParam(_) => "invalid",
        FileDownloadError::NetworkAnomaly(_) => "retry",
        FileDownloadError::Unhandled(_) => "other",
    }
}
fn main() {
    let _ = describe;
}
