//! Case conversions of spec names, shared by validation (which checks what a name becomes)
//! and expansion (which writes it).

use std::borrow::Cow;

use heck::ToSnakeCase;

/// `heck`'s snake case, without its work for names that already are (nearly all wire
/// names: `page_size`, `main_keys`): it splits and re-joins every name, and a large spec
/// asks for each field's identifier several times.
pub(crate) fn snake_case(name: &str) -> Cow<'_, str> {
    let plain = name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    let words_ok = !name.starts_with('_') && !name.ends_with('_') && !name.contains("__");
    let first_ok = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    if plain && words_ok && first_ok { name.into() } else { name.to_snake_case().into() }
}

#[cfg(test)]
mod tests {
    use heck::ToSnakeCase;

    /// The shortcut must give what `heck` gives, for names it takes and names it leaves.
    #[test]
    fn snake_case_agrees_with_heck() {
        for name in [
            "page_size",
            "main_keys",
            "res0001",
            "a",
            "x1_y2",
            "ttl_seconds",
            "type",
            "self_",
            "_x",
            "a__b",
            "userID",
            "PageSize",
            "page-size",
            "1abc",
            "entity_id",
            "html_url",
            "v2",
            "émoji",
            "a_1b",
        ] {
            assert_eq!(super::snake_case(name), name.to_snake_case(), "{name}");
        }
    }
}
