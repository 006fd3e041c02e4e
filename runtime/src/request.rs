//! The methods every generated request builder shares, written once here: the generated
//! code declares an endpoint's inputs and [`request!`] writes `call`, `send`, `stream` and
//! the user-token setter from that declaration.
//!
//! Why a macro and not generic code: each builder is its own struct with typed fields
//! (that is what makes a forgotten input a compile error), and `send` returns the
//! endpoint's own data and error types. Why not per-endpoint code from the generator: the
//! same forty lines stamped out per endpoint were a third of what the generator formats,
//! and of what a reader of the generated crate scrolls past.

/// The shared methods of a request builder.
///
/// ```text
/// request!(EntityListRequest for endpoints::ENTITY_LIST => json(EntityListData) or EntityListError,
///     body none, token both, stream Entity {
///     query_opt page_size = "page_size" [range(Some(1), None)],
///     query_opt provider = "provider" [text(Some(2), Some(32), "", [])],
/// });
/// ```
///
/// - the answer: `json(Data)`, `empty()` or `binary()`, and the endpoint's error type;
/// - `body`: `none`, `json`, `json_opt`, `multipart` or `multipart_opt` (a field `body`);
/// - `token`: `both` (a `user_token: Option<UserAccessToken>` field and a
///   `user_access_token` setter), `user` (a `user_access_token` field) or `app`;
/// - `stream Item` for paged endpoints (a field `page_token`);
/// - the inputs, in request order: `path`, `query` (required) or `query_opt` (an `Option`
///   field), the field, its wire name and its constraints (see `__check!`).
///
/// `call`, `send` and `stream` are `#[inline]`: their machine code (the validation and the
/// `send` future) is then generated in the crate that calls them, for the endpoints it
/// calls, instead of for every endpoint when the client crate is built.
#[macro_export]
macro_rules! request {
    ($name:ident for $descriptor:path => $answer:ident($($data:ty)?) or $error:ident,
        body $body:ident, token $token:ident $(, stream $item:ty)? {
        $($input:ident $field:ident = $wire:literal $([$($rule:ident $(($($arg:tt)*))?),*])?,)*
    }) => {
        impl $name {
            $crate::__request!(setter $token);

            /// The prepared call, validated against the spec's constraints.
            #[inline]
            fn call(&self) -> $crate::Call {
                let mut call = $crate::Call::new(&$descriptor);
                #[allow(unused_mut)]
                let mut found = $crate::Violations::new();
                $($crate::__request!(input call found self $input $field $wire [$($($rule $(($($arg)*))?),*)?]);)*
                $crate::__request!(body call found self $body);
                $crate::__request!(token call self $token);
                call.violations(found);
                call
            }

            $crate::__request!(send $answer($($data)?) $error);

            $(
                /// Every item of every page, fetched one page at a time as the stream is polled.
                /// Starts at the `page_token` set on the request (to resume), else at the first page.
                /// Ends when the server sends no `page_token`; fails if it repeats one.
                #[inline]
                pub fn stream(self) -> impl $crate::Stream<Item = ::std::result::Result<$item, $error>> {
                    $crate::paging::items(
                        &$descriptor,
                        self,
                        |mut request: Self, token: ::std::option::Option<::std::string::String>| {
                            // `None` asks for the request's own first page.
                            if token.is_some() {
                                request.page_token = token;
                            }
                            request.send()
                        },
                    )
                }
            )?
        }
    };
}

/// The parts of [`request!`], by kind.
#[doc(hidden)]
#[macro_export]
macro_rules! __request {
    (setter both) => {
        /// Sends the request as a user, with this user access token, instead of as the app.
        pub fn user_access_token(mut self, token: impl ::std::convert::Into<$crate::UserAccessToken>) -> Self {
            self.user_token = ::std::option::Option::Some(::std::convert::Into::into(token));
            self
        }
    };
    (setter $token:ident) => {};

    (input $call:ident $found:ident $self:ident path $field:ident $wire:literal [$($rule:ident $(($($arg:tt)*))?),*]) => {
        $($crate::__check!($found, "", $wire, required, $self.$field, $rule $(($($arg)*))?);)*
        $call.path($wire, ::std::convert::AsRef::<str>::as_ref(&$self.$field));
    };
    (input $call:ident $found:ident $self:ident query $field:ident $wire:literal [$($rule:ident $(($($arg:tt)*))?),*]) => {
        $($crate::__check!($found, "", $wire, required, $self.$field, $rule $(($($arg)*))?);)*
        $call.query($wire, &$self.$field);
    };
    (input $call:ident $found:ident $self:ident query_opt $field:ident $wire:literal [$($rule:ident $(($($arg:tt)*))?),*]) => {
        $($crate::__check!($found, "", $wire, optional, $self.$field, $rule $(($($arg)*))?);)*
        $call.query_opt($wire, $self.$field.as_ref());
    };

    (body $call:ident $found:ident $self:ident none) => {};
    (body $call:ident $found:ident $self:ident json) => {
        $crate::Validate::validate(&$self.body, "body", &mut $found);
        $call.json(&$self.body);
    };
    (body $call:ident $found:ident $self:ident json_opt) => {
        $crate::Validate::validate(&$self.body, "body", &mut $found);
        $call.json_or_empty($self.body.as_ref());
    };
    (body $call:ident $found:ident $self:ident multipart) => {
        $crate::Validate::validate(&$self.body, "body", &mut $found);
        $call.multipart($crate::Form::parts(&$self.body));
    };
    (body $call:ident $found:ident $self:ident multipart_opt) => {
        $crate::Validate::validate(&$self.body, "body", &mut $found);
        if let ::std::option::Option::Some(body) = &$self.body {
            $call.multipart($crate::Form::parts(body));
        }
    };

    (token $call:ident $self:ident both) => {
        $call.user_token($self.user_token.clone());
    };
    (token $call:ident $self:ident user) => {
        $call.user_token(::std::option::Option::Some($self.user_access_token.clone()));
    };
    (token $call:ident $self:ident app) => {};

    (send json($data:ty) $error:ident) => {
        /// Sends the request and decodes the answer.
        #[inline]
        pub async fn send(self) -> ::std::result::Result<$data, $error> {
            let call = self.call();
            self.client.send_json::<$data>(call).await.map_err($error::from)
        }
    };
    (send empty() $error:ident) => {
        /// Sends the request.
        #[inline]
        pub async fn send(self) -> ::std::result::Result<(), $error> {
            let call = self.call();
            self.client.send_json::<$crate::Empty>(call).await.map(|_| ()).map_err($error::from)
        }
    };
    (send binary() $error:ident) => {
        /// Sends the request; the file is streamed from the answer (`save_to`, `into_stream`, `bytes`).
        #[inline]
        pub async fn send(self) -> ::std::result::Result<$crate::Download, $error> {
            let call = self.call();
            self.client.send_download(call).await.map_err($error::from)
        }
    };
}
