//! `endpoint_error!`, one of the three declarative macros the generated code expands (with
//! `endpoint!` and `json_object!`); everything else it contains is plain code. Docs passed
//! through a macro from another crate get no intra-doc links: keep links out of them.

/// A per-endpoint error enum: one variant per documented code (holding the
/// [`crate::ApiError`]) and `Unhandled` for everything else; conversion from
/// [`crate::Error`] by code, `Display`, `Error` and `Deref` to [`crate::ErrorMeta`] (so
/// `err.code()`, `err.log_id()`, `err.http_status()` and `err.is_retryable()` work on
/// every enum).
///
/// ```text
/// endpoint_error! {
///     /// Errors of `draft.update`.
///     pub enum DraftUpdateError {
///         /// `1540100` (HTTP 403): draft has been reviewed and cannot be edited.
///         DraftReviewed = 1540100,
///     }
/// }
/// ```
#[macro_export]
macro_rules! endpoint_error {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug)]
        #[non_exhaustive]
        $vis enum $name {
            $($(#[$vmeta])* $variant(::std::boxed::Box<$crate::ApiError>),)*
            /// Anything else: another Lark code (kept with its message and log id), a transport,
            /// auth or validation failure, or an answer that is not a Lark envelope.
            Unhandled($crate::Error),
        }
        $crate::endpoint_error!(@impls $name { $($variant = $code,)* });
    };
    (@impls $name:ident { $($variant:ident = $code:literal,)* }) => {
        impl ::std::convert::From<$crate::Error> for $name {
            fn from(error: $crate::Error) -> Self {
                match error {
                    $($crate::Error::Api(api) if api.code == $code => Self::$variant(api),)*
                    other => Self::Unhandled(other),
                }
            }
        }
        impl ::std::ops::Deref for $name {
            type Target = dyn $crate::ErrorMeta;
            fn deref(&self) -> &Self::Target {
                match self {
                    $(Self::$variant(api) => &**api,)*
                    Self::Unhandled(other) => other,
                }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&**self, f)
            }
        }
        impl ::std::error::Error for $name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Unhandled(other) => ::std::error::Error::source(other),
                    _ => ::std::option::Option::None,
                }
            }
        }
    };
}
