//! String literals for `quote!`, made without proc-macro2's per-character escaping.
//!
//! Interpolating a `&str` into `quote!` calls `Literal::string`, which outside a compiler
//! escapes the text one `char::escape_debug` at a time: about 6 ns per character, 0.9 µs
//! for one line of an error's documentation. Generated code is mostly doc lines, so that was
//! a sixth of `expand`. Text that needs no escape at all (printable ASCII without `"` or
//! `\`, which is most of it) is written between quotes as it is and read back by the lexer
//! (`Literal::from_str`, 0.15 µs for the same line); anything else takes the usual way. The
//! token is the same either way: same text, same escapes.

use std::str::FromStr;

use proc_macro2::Literal;

/// The string literal of `text`, as `Literal::string` makes it.
pub(crate) fn str_lit(text: &str) -> Literal {
    if text.bytes().all(|b| matches!(b, b' '..=b'~') && b != b'"' && b != b'\\') {
        let mut repr = String::with_capacity(text.len() + 2);
        repr.push('"');
        repr.push_str(text);
        repr.push('"');
        if let Ok(lit) = Literal::from_str(&repr) {
            return lit;
        }
    }
    Literal::string(text)
}

#[cfg(test)]
mod tests {
    use proc_macro2::Literal;

    use super::str_lit;

    #[test]
    fn makes_the_same_literal_as_proc_macro2() {
        for text in [
            "",
            " plain doc line: `code` (HTTP 400), {braces} [brackets] #hash 'quote' ~",
            "a \"quoted\" word",
            "back\\slash",
            "tab\there, line\nbreak, nul\0 and bell\u{7}",
            "飞书词典 — non-ASCII, ≥ 1",
            "combining e\u{301} and zero width\u{200b}",
            "/open-apis/baike/v1/entities/{entity_id}",
        ] {
            assert_eq!(str_lit(text).to_string(), Literal::string(text).to_string(), "{text:?}");
        }
    }
}
