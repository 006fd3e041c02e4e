//! Credentials. Secrets live in `secrecy` boxes: they print as `[redacted]` and are
//! zeroized on drop, so no `Debug`, error or log line can leak them.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// app_id + app_secret of a self-built app, exchanged for tenant access tokens.
#[derive(Clone)]
pub struct AppCredentials {
    app_id: String,
    app_secret: SecretString,
}

impl AppCredentials {
    /// Credentials from the developer console.
    pub fn new(app_id: impl Into<String>, app_secret: impl Into<String>) -> Self {
        Self { app_id: app_id.into(), app_secret: SecretString::from(app_secret.into()) }
    }

    /// The app id (not a secret).
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    pub(crate) fn app_secret(&self) -> &str {
        self.app_secret.expose_secret()
    }
}

impl fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppCredentials").field("app_id", &self.app_id).field("app_secret", &"[redacted]").finish()
    }
}

/// A user access token (`u-...`), obtained by the app through Lark's OAuth flow.
#[derive(Clone)]
pub struct UserAccessToken(SecretString);

impl UserAccessToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(SecretString::from(token.into()))
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl From<String> for UserAccessToken {
    fn from(token: String) -> Self {
        Self::new(token)
    }
}

impl From<&str> for UserAccessToken {
    fn from(token: &str) -> Self {
        Self::new(token)
    }
}

impl fmt::Debug for UserAccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UserAccessToken([redacted])")
    }
}
