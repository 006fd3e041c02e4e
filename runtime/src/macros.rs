//! Declarative macros the generated code expands into, so that newtypes and open enums
//! are written once here instead of being stamped out token by token per type.

/// A string newtype for an id (`EntityId`, `FileToken`…): ids of different kinds do not mix.
#[macro_export]
macro_rules! string_newtype {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        $vis struct $name(::std::string::String);

        impl $name {
            /// Wraps a raw value.
            pub fn new(value: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(value.into())
            }
            /// The raw value.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The raw value, owned.
            pub fn into_inner(self) -> ::std::string::String {
                self.0
            }
        }
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self(value)
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }
        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl ::std::convert::From<&$name> for $name {
            fn from(value: &$name) -> Self {
                value.clone()
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as $crate::serde::Deserialize>::deserialize(d).map(Self)
            }
        }
        impl $crate::Validate for $name {
            fn validate(&self, _: &str, _: &mut $crate::Violations) {}
        }
    };
}

/// An open string enum: unknown values from the server decode into `Unknown`, not an error.
#[macro_export]
macro_rules! string_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this client does not know yet, kept as sent.
            Unknown(::std::string::String),
        }
        impl $name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(other) => other,
                }
            }
        }
        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl $name {
            /// The variant of a wire value (unknown values become `Unknown`). Deliberately not
            /// `From<&str>`: a bare string must not pass where the enum is expected.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let raw = <::std::borrow::Cow<'de, str> as $crate::serde::Deserialize>::deserialize(d)?;
                ::std::result::Result::Ok(Self::from_wire(&raw))
            }
        }
        impl $crate::Validate for $name {
            fn validate(&self, _: &str, _: &mut $crate::Violations) {}
        }
    };
}

/// An open integer enum: unknown values from the server decode into `Unknown`, not an error.
#[macro_export]
macro_rules! int_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this client does not know yet, kept as sent.
            Unknown(i64),
        }
        impl $name {
            /// The value on the wire.
            pub fn value(self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(other) => other,
                }
            }
        }
        impl $name {
            /// The variant of a wire value (unknown values become `Unknown`). Deliberately not
            /// `From<i64>`: a bare number must not pass where the enum is expected.
            pub fn from_wire(value: i64) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_i64(self.value())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as $crate::serde::Deserialize>::deserialize(d).map(Self::from_wire)
            }
        }
        impl $crate::Validate for $name {
            fn validate(&self, _: &str, _: &mut $crate::Violations) {}
        }
    };
}

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
