//! Token streams that `quote!` moves into place instead of copying.
//!
//! `quote!` interpolates `#x` through `ToTokens::to_tokens(&x, ..)`; for a `TokenStream`
//! that clones the stream and extends the output with the clone. Outside a compiler,
//! proc-macro2's streams are shared vectors, so with the original still alive the extend
//! copies every token, allocating every identifier and literal again. Generated items nest
//! streams three or four deep (doc lines in a field in a struct in a part), so expanding
//! copied most tokens that many times, and dropped the copies: a third of `expand`'s time.
//! A [`Moved`] stream gives its tokens away the one time it is interpolated.

use std::cell::Cell;

use proc_macro2::TokenStream;
use quote::ToTokens;

/// A token stream for one interpolation into `quote!`.
pub(crate) struct Moved(Cell<Option<TokenStream>>);

impl From<TokenStream> for Moved {
    fn from(tokens: TokenStream) -> Self {
        Moved(Cell::new(Some(tokens)))
    }
}

impl ToTokens for Moved {
    fn to_tokens(&self, out: &mut TokenStream) {
        // A second interpolation would silently drop code from the output: a generator bug
        // that every test generating a spec would show.
        out.extend(Some(self.0.take().expect("a `Moved` token stream is interpolated once")));
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::Moved;

    #[test]
    fn interpolates_like_the_stream_itself() {
        let inner = quote!(#[doc = " a"] pub x: Option<u8>,);
        let moved = Moved::from(inner.clone());
        let items: Vec<Moved> = vec![quote!(a: u8,).into(), quote!(b: u8,).into()];
        assert_eq!(
            quote!(struct S { #moved #(#items)* }).to_string(),
            quote!(struct S { #inner a: u8, b: u8, }).to_string()
        );
    }
}
