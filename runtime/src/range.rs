//! Byte ranges: the `Range` a partial download asks for, and the `Content-Range` a
//! `206 Partial Content` answer describes (RFC 9110 §14).

use std::fmt;
use std::ops::{Range, RangeFrom};

/// The bytes to ask for in a `Range` header: `bytes=first-last` or `bytes=first-`.
///
/// ```
/// # use larkgen_runtime::ByteRange;
/// assert_eq!(ByteRange::from(0..1024).to_string(), "bytes=0-1023");
/// assert_eq!(ByteRange::from(4096..).to_string(), "bytes=4096-");
/// let header: String = ByteRange::from(4096..).into(); // for a generated `.range(..)` setter
/// # assert_eq!(header, "bytes=4096-");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteRange {
    first: u64,
    last: Option<u64>,
}

impl ByteRange {
    /// From `first` to `last`, both included.
    pub fn inclusive(first: u64, last: u64) -> Self {
        Self { first, last: Some(last.max(first)) }
    }
}

/// An empty range (`5..5`) asks for one byte, as no `Range` header can ask for none.
impl From<Range<u64>> for ByteRange {
    fn from(r: Range<u64>) -> Self {
        Self::inclusive(r.start, r.end.saturating_sub(1))
    }
}

impl From<RangeFrom<u64>> for ByteRange {
    fn from(r: RangeFrom<u64>) -> Self {
        Self { first: r.start, last: None }
    }
}

impl fmt::Display for ByteRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.last {
            Some(last) => write!(f, "bytes={}-{last}", self.first),
            None => write!(f, "bytes={}-", self.first),
        }
    }
}

impl From<ByteRange> for String {
    fn from(r: ByteRange) -> Self {
        r.to_string()
    }
}

/// What a `206 Partial Content` answer holds: `Content-Range: bytes first-last/total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentRange {
    /// Offset of the first byte of the body in the whole file.
    pub first: u64,
    /// Offset of the last byte of the body (included).
    pub last: u64,
    /// Size of the whole file, if the server knows it (`*` otherwise).
    pub total: Option<u64>,
}

impl ContentRange {
    /// Parses a `Content-Range` value; `None` for another unit or a malformed value.
    pub fn parse(value: &str) -> Option<Self> {
        let rest = value.trim().strip_prefix("bytes ")?;
        let (span, total) = rest.split_once('/')?;
        let (first, last) = span.split_once('-')?;
        let (first, last) = (first.trim().parse().ok()?, last.trim().parse().ok()?);
        let total = match total.trim() {
            "*" => None,
            n => Some(n.parse().ok()?),
        };
        // `last < u64::MAX`, so `len()` cannot overflow whatever the server sends.
        (first <= last && last < u64::MAX && total.is_none_or(|t| last < t)).then_some(Self { first, last, total })
    }

    /// Number of bytes the body holds.
    pub fn len(&self) -> u64 {
        self.last - self.first + 1
    }

    /// Always false: a range holds at least one byte.
    pub fn is_empty(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_parse_or_are_refused() {
        let r = ContentRange::parse("bytes 0-1023/4096").expect("valid");
        assert_eq!((r.first, r.last, r.total, r.len()), (0, 1023, Some(4096), 1024));
        assert_eq!(ContentRange::parse("bytes 10-19/*").map(|r| r.total), Some(None));
        let huge = "bytes 0-18446744073709551615/*";
        for bad in ["items 0-1/2", "bytes 5-4/10", "bytes 0-10/10", "bytes x-1/2", "bytes */100", "bytes 0-1", huge] {
            assert_eq!(ContentRange::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn byte_ranges_are_written_as_the_header_expects() {
        assert_eq!(ByteRange::inclusive(7, 7).to_string(), "bytes=7-7");
        assert_eq!(ByteRange::from(5..5).to_string(), "bytes=5-5");
    }
}
