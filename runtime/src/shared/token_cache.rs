//! Tenant access tokens in Redis.

use std::fmt;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use futures_util::future::BoxFuture;
use redis::aio::ConnectionManager;
use secrecy::{ExposeSecret, SecretString};

use super::{DEFAULT_PREFIX, Guard, millis};
use crate::token::{InMemoryTokenCache, TokenCache};

/// A [`TokenCache`] in Redis, shared by every process that uses the same Redis and prefix.
///
/// A token is stored as `<prefix>tenant_access_token:<app_id>` with `SET … PX <ttl>`, so
/// Redis forgets it when the client would stop using it. Eviction (after Lark called the
/// token invalid) deletes the entry only if it still holds that token: another process may
/// already have stored a fresh one.
///
/// While Redis fails (see the [module docs](super)) the cache answers from a copy in this
/// process of the tokens this process stored: a Redis outage must not turn every API call
/// into a token fetch.
#[derive(Clone)]
pub struct RedisTokenCache {
    connection: ConnectionManager,
    prefix: String,
    guard: Guard,
    local: Arc<InMemoryTokenCache>,
}

/// Deletes `KEYS[1]` only if it still holds `ARGV[1]`.
static EVICT_IF_SAME: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
",
    )
});

impl RedisTokenCache {
    /// A cache on `connection`, with keys under [`DEFAULT_PREFIX`].
    pub fn new(connection: ConnectionManager) -> Self {
        Self::with_prefix(connection, DEFAULT_PREFIX)
    }

    /// A cache whose keys start with `prefix` (e.g. one per environment sharing a Redis).
    pub fn with_prefix(connection: ConnectionManager, prefix: impl Into<String>) -> Self {
        Self { connection, prefix: prefix.into(), guard: Guard::new(), local: Arc::new(InMemoryTokenCache::new()) }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

impl fmt::Debug for RedisTokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Neither the connection (its URL may hold a password) nor any token.
        f.debug_struct("RedisTokenCache").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

impl TokenCache for RedisTokenCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<SecretString>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let mut get = redis::cmd("GET");
            get.arg(self.key(key));
            match self.guard.run("token cache", "get", get.query_async::<Option<String>>(&mut connection)).await {
                Some(found) => found.map(SecretString::from),
                None => self.local.get(key).await,
            }
        })
    }

    fn set<'a>(&'a self, key: &'a str, token: SecretString, ttl: Duration) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.local.set(key, token.clone(), ttl).await;
            let mut connection = self.connection.clone();
            let mut set = redis::cmd("SET");
            set.arg(self.key(key)).arg(token.expose_secret()).arg("PX").arg(millis(ttl));
            self.guard.run("token cache", "set", set.query_async::<()>(&mut connection)).await;
        })
    }

    fn evict<'a>(&'a self, key: &'a str, token: &'a SecretString) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.local.evict(key, token).await;
            let mut connection = self.connection.clone();
            let mut evict = EVICT_IF_SAME.prepare_invoke();
            evict.key(self.key(key)).arg(token.expose_secret());
            self.guard.run("token cache", "evict", evict.invoke_async::<i64>(&mut connection)).await;
        })
    }
}
