//! Rate-limit tiers of the official metadata (`x-lark-rate-limit: { tier: N }`) → the numbers
//! the client enforces. One table, each row with its source; a tier no source here confirms
//! gets no client-side limit (the server still enforces its own), and the endpoint's docs say
//! so. Add a tier when an official page states its numbers, with that page as the source.

/// One tier's numbers and where they come from.
#[derive(Debug)]
pub struct Tier {
    /// The tier's number in `x-lark-rate-limit`.
    pub tier: i64,
    /// Requests per second, when a source states it.
    pub per_second: Option<u32>,
    /// Requests per minute, when a source states it.
    pub per_minute: Option<u32>,
    /// The official page that states the numbers.
    pub source: &'static str,
}

/// The confirmed tiers; every other tier is UNVERIFIED and gets no client-side limit.
pub const TIERS: &[Tier] = &[
    Tier {
        tier: 2,
        per_second: None,
        per_minute: Some(20),
        source: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/admin-v1/badge_image/create (20/min, an endpoint of tier 2)",
    },
    Tier {
        tier: 3,
        per_second: None,
        per_minute: Some(100),
        source: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/baike-v1/entity/create (100/min, tier 3; the per-second cap is not stated)",
    },
    Tier {
        tier: 4,
        per_second: Some(50),
        per_minute: Some(1000),
        source: "https://open.feishu.cn/document/server-docs/im-v1/message/create (1000/min and 50/s, tier 4; also Baike file.download and Contact user.get)",
    },
];

/// The confirmed numbers of a tier, if any.
pub(crate) fn tier(n: i64) -> Option<&'static Tier> {
    TIERS.iter().find(|t| t.tier == n)
}

/// The sentence an endpoint's docs get about its tier.
pub(crate) fn note(n: i64) -> String {
    match tier(n) {
        Some(_) => format!("Rate-limit tier {n} of the official metadata."),
        None => format!(
            "Rate-limit tier {n} of the official metadata; its numbers are UNVERIFIED, so the client sets no limit of its own."
        ),
    }
}
