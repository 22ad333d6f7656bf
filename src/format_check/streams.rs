//! Decoding PDF streams within budgets: a cap on the bytes one stream may inflate to, a cap per
//! document, the check's time budget looked at while inflating, and one process-wide pool that
//! bounds what all concurrent checks hold in decoded streams together.
//!
//! A stream that would exceed a budget is cut off where the budget ends and the reason is
//! recorded ([`Cut`]); the caller reports the check as partial instead of failing or growing.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicUsize, Ordering};

use pdf_extract::{Dictionary, Object, Stream};

use crate::format_check::extract::Budget;

/// Decoded bytes all concurrent checks may hold together.
static POOL_USED: AtomicUsize = AtomicUsize::new(0);

/// Why decoding stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// One stream inflates to more than the per-stream cap.
    StreamCap,
    /// The document's streams together inflate to more than the per-document cap.
    DocumentCap,
    /// Concurrent checks together hold too much.
    Pool,
    /// The time budget ran out.
    Time,
    /// A filter we do not decode (e.g. an image codec on a content stream).
    Filter,
}

/// Per-check decoding budget. Bytes reserved from the pool go back when it is dropped.
pub(crate) struct Decoder {
    per_stream: usize,
    per_document: usize,
    pool_cap: usize,
    used: Cell<usize>,
    budget: Budget,
    /// The first cut met since the last [`Decoder::take_cut`], if any.
    cut: Cell<Option<Cut>>,
    /// One inflater for all streams (making one costs more than inflating a small stream),
    /// with whether it was set up for a zlib header.
    inflater: RefCell<Option<(bool, flate2::Decompress)>>,
}

impl Decoder {
    pub fn new(per_stream: usize, per_document: usize, pool_cap: usize, budget: Budget) -> Self {
        Decoder {
            per_stream,
            per_document,
            pool_cap,
            used: Cell::new(0),
            budget,
            cut: Cell::new(None),
            inflater: RefCell::new(None),
        }
    }

    /// Bytes this check holds from the pool.
    #[cfg(test)]
    pub fn used(&self) -> usize {
        self.used.get()
    }

    /// The first cut met since the last call, if any.
    pub fn take_cut(&self) -> Option<Cut> {
        self.cut.take()
    }

    fn note(&self, cut: Cut) {
        if self.cut.get().is_none() {
            self.cut.set(Some(cut));
        }
    }

    /// Charges `n` bytes decoded elsewhere (while lopdf loaded the file) to this check; the
    /// bytes are held either way, so the charge stays even when it goes over a budget.
    pub fn charge(&self, n: usize) -> Result<(), Cut> {
        let over = self.reserve(n);
        if over.is_err() {
            POOL_USED.fetch_add(n, Ordering::SeqCst);
            self.used.set(self.used.get() + n);
        }
        over
    }

    /// Reserves `n` more decoded bytes for this check.
    fn reserve(&self, n: usize) -> Result<(), Cut> {
        if self.used.get() + n > self.per_document {
            return Err(Cut::DocumentCap);
        }
        let before = POOL_USED.fetch_add(n, Ordering::SeqCst);
        if before + n > self.pool_cap {
            POOL_USED.fetch_sub(n, Ordering::SeqCst);
            return Err(Cut::Pool);
        }
        self.used.set(self.used.get() + n);
        Ok(())
    }

    /// The decoded content of `stream`, or as much of it as the budgets allow (the cut is
    /// recorded). `None` when nothing usable could be decoded.
    pub fn decode(&self, stream: &Stream) -> Option<Vec<u8>> {
        self.decode_capped(stream, self.per_stream)
    }

    /// The first `n` decoded bytes of `stream` (or all of it, if shorter): stopping there is
    /// not a cut. For a Flate stream only those bytes are unpacked.
    pub fn decode_prefix(&self, stream: &Stream, n: usize) -> Option<Vec<u8>> {
        if matches!(filters(&stream.dict).as_slice(), [f] if f == b"FlateDecode" || f == b"Fl") {
            return self.inflate(&stream.content, n.min(self.per_stream), false);
        }
        let mut data = self.decode(stream)?;
        data.truncate(n);
        Some(data)
    }

    /// [`Decoder::decode`] with a smaller per-stream cap `cap`.
    pub fn decode_capped(&self, stream: &Stream, cap: usize) -> Option<Vec<u8>> {
        let cap = cap.min(self.per_stream);
        let filters = filters(&stream.dict);
        let mut data: Option<Vec<u8>> = None;
        for filter in &filters {
            let input = data.as_deref().unwrap_or(&stream.content);
            let output = match filter.as_slice() {
                b"FlateDecode" | b"Fl" => self.inflate(input, cap, true),
                b"ASCIIHexDecode" | b"AHx" => self.bounded(input.len() / 2 + 1, cap, || hex(input)),
                b"ASCII85Decode" | b"A85" => {
                    self.bounded(input.len() / 4 * 5 + 5, cap, || ascii85(input))
                }
                b"LZWDecode" | b"LZW" => self.lzw(stream, input, cap),
                _ => {
                    self.note(Cut::Filter);
                    return None;
                }
            };
            data = Some(output?);
        }
        if filters.is_empty() {
            self.bounded(stream.content.len(), cap, || stream.content.clone())
        } else {
            data
        }
    }

    fn bounded(&self, size: usize, cap: usize, make: impl FnOnce() -> Vec<u8>) -> Option<Vec<u8>> {
        if size > cap {
            self.note(Cut::StreamCap);
            return None;
        }
        match self.reserve(size) {
            Ok(()) => Some(make()),
            Err(cut) => {
                self.note(cut);
                None
            }
        }
    }

    /// LZW expands far less than Flate (a 12-bit code stands for at most 4,096 bytes, in
    /// practice a few hundred); bound it by a generous ratio before letting lopdf decode it.
    fn lzw(&self, stream: &Stream, input: &[u8], cap: usize) -> Option<Vec<u8>> {
        let bound = input.len().saturating_mul(400);
        let mut only = Stream::new(stream.dict.clone(), input.to_vec());
        only.dict.set("Filter", Object::Name(b"LZWDecode".to_vec()));
        self.bounded(bound, cap, || {
            only.decompressed_content().unwrap_or_default()
        })
    }

    /// zlib (or raw deflate) inflation straight into the output, growing it in steps of at
    /// most [`INFLATE_STEP`] and charging each step to the budgets (and looking at the clock)
    /// before it is taken. One inflater serves every stream of the check.
    /// With `cut_at_cap` false, stopping at `cap` is what was asked for and not recorded.
    fn inflate(&self, input: &[u8], cap: usize, cut_at_cap: bool) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        self.inflate_into(input, cap, cut_at_cap, &mut out);
        if out.is_empty() { None } else { Some(out) }
    }

    /// [`Decoder::inflate`] appending to `out`; `cap` bounds what is appended.
    fn inflate_into(&self, input: &[u8], cap: usize, cut_at_cap: bool, out: &mut Vec<u8>) {
        let mut inflater = self.inflater_for(input);
        let inflater = &mut *inflater;
        let base = out.len();
        // Room `out` already has is written into too: it counts like room we add.
        if let Err(cut) = self.reserve(out.capacity() - out.len()) {
            self.note(cut);
            return;
        }
        loop {
            if out.len() == out.capacity() {
                let produced = out.len() - base;
                if produced >= cap {
                    if cut_at_cap && more_output(inflater, input) {
                        self.note(Cut::StreamCap);
                    }
                    break;
                }
                let step = (input.len().saturating_mul(4))
                    .max(produced)
                    .clamp(1024, INFLATE_STEP)
                    .min(cap - produced);
                if let Err(cut) = self.reserve(step) {
                    self.note(cut);
                    break;
                }
                if self.budget.expired() {
                    self.note(Cut::Time);
                    break;
                }
                out.reserve_exact(step);
            }
            let consumed = usize::try_from(inflater.total_in()).unwrap_or(input.len());
            let before = out.len();
            let status = inflater.decompress_vec(
                input.get(consumed..).unwrap_or(&[]),
                out,
                flate2::FlushDecompress::None,
            );
            match status {
                Ok(flate2::Status::StreamEnd) | Err(_) => break,
                // No progress with room left: the input ended early (a cut-off stream).
                Ok(_) if out.len() == before && out.len() < out.capacity() => break,
                Ok(_) => {}
            }
        }
    }

    /// The shared inflater, reset for `input` (zlib or raw deflate, by its first two bytes).
    fn inflater_for(&self, input: &[u8]) -> std::cell::RefMut<'_, flate2::Decompress> {
        let zlib = input.len() >= 2 && (u16::from(input[0]) << 8 | u16::from(input[1])) % 31 == 0;
        let mut slot = self.inflater.borrow_mut();
        match slot.as_mut() {
            Some((header, inflater)) if *header == zlib => inflater.reset(zlib),
            _ => *slot = Some((zlib, flate2::Decompress::new(zlib))),
        }
        std::cell::RefMut::map(slot, |slot| {
            &mut slot
                .get_or_insert_with(|| (zlib, flate2::Decompress::new(zlib)))
                .1
        })
    }

    /// The zlib data `input` unpacked, if it unpacks to at most `cap` bytes (a damaged end keeps
    /// what came before it). Nothing is charged or recorded: the caller decides what a result
    /// over `cap` means and charges what it keeps.
    pub fn unpack_within(&self, input: &[u8], cap: usize) -> Option<Vec<u8>> {
        let mut inflater = self.inflater_for(input);
        let mut out = Vec::with_capacity(input.len().saturating_mul(4).clamp(64, cap.max(64)));
        loop {
            if out.len() == out.capacity() {
                if out.len() > cap {
                    return None;
                }
                let grow = out.len().max(1024).min(cap + 1 - out.len());
                out.reserve_exact(grow);
            }
            let consumed = usize::try_from(inflater.total_in()).unwrap_or(input.len());
            let before = out.len();
            let status = inflater.decompress_vec(
                input.get(consumed..).unwrap_or(&[]),
                &mut out,
                flate2::FlushDecompress::None,
            );
            match status {
                Ok(flate2::Status::StreamEnd) | Err(_) => break,
                Ok(_) if out.len() == before && out.len() < out.capacity() => break,
                Ok(_) => {}
            }
        }
        (out.len() <= cap).then_some(out)
    }

    /// Appends the decoded content of `stream` to `out` within the budgets (Flate streams are
    /// unpacked in place, others decoded and copied).
    pub fn decode_into(&self, stream: &Stream, out: &mut Vec<u8>) {
        if matches!(filters(&stream.dict).as_slice(), [f] if f == b"FlateDecode" || f == b"Fl") {
            self.inflate_into(&stream.content, self.per_stream, true, out);
        } else if let Some(data) = self.decode(stream) {
            if out.is_empty() {
                *out = data;
            } else {
                out.extend_from_slice(&data);
            }
        }
    }
}

/// Whether the inflater has more output after filling the room it had.
fn more_output(inflater: &mut flate2::Decompress, input: &[u8]) -> bool {
    let mut probe = Vec::with_capacity(1);
    let consumed = usize::try_from(inflater.total_in()).unwrap_or(input.len());
    inflater
        .decompress_vec(
            input.get(consumed..).unwrap_or(&[]),
            &mut probe,
            flate2::FlushDecompress::None,
        )
        .is_ok()
        && !probe.is_empty()
}

/// Largest step by which an inflated stream grows (and is charged to the budgets).
const INFLATE_STEP: usize = 64 * 1024;

impl Drop for Decoder {
    fn drop(&mut self) {
        POOL_USED.fetch_sub(self.used.get(), Ordering::SeqCst);
    }
}

fn filters(dict: &Dictionary) -> Vec<Vec<u8>> {
    match dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(items)) => items
            .iter()
            .filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    }
}

fn hex(input: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = input
        .iter()
        .take_while(|&&c| c != b'>')
        .filter_map(|&c| (c as char).to_digit(16).map(|d| d as u8))
        .collect();
    digits
        .chunks(2)
        .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
        .collect()
}

fn ascii85(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 5 * 4);
    let mut group = [0u32; 5];
    let mut n = 0;
    for &c in input {
        match c {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0, 0, 0, 0]),
            b'!'..=b'u' => {
                group[n] = u32::from(c - b'!');
                n += 1;
                if n == 5 {
                    let v = group
                        .iter()
                        .fold(0u32, |a, &d| a.wrapping_mul(85).wrapping_add(d));
                    out.extend_from_slice(&v.to_be_bytes());
                    n = 0;
                }
            }
            _ => {}
        }
    }
    if n > 1 {
        for slot in group.iter_mut().skip(n) {
            *slot = 84;
        }
        let v = group
            .iter()
            .fold(0u32, |a, &d| a.wrapping_mul(85).wrapping_add(d));
        out.extend_from_slice(&v.to_be_bytes()[..n - 1]);
    }
    out
}

/// Decoded bytes held by all checks now (for tests and the server's metrics).
pub fn pool_in_use() -> usize {
    POOL_USED.load(Ordering::SeqCst)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::time::Instant;

    fn deflated(bytes: &[u8]) -> Stream {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).unwrap();
        let mut dict = Dictionary::new();
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        Stream::new(dict, e.finish().unwrap())
    }

    #[test]
    fn a_bomb_is_cut_at_the_stream_cap_and_released() {
        let budget = Budget::new(Instant::now(), 10_000);
        let bomb = deflated(&vec![b' '; 8 << 20]);
        {
            let d = Decoder::new(1 << 20, 4 << 20, 1 << 30, budget);
            let out = d.decode(&bomb).unwrap();
            assert!(out.len() <= 1 << 20);
            assert_eq!(d.take_cut(), Some(Cut::StreamCap));
            assert!(d.used() <= 1 << 20);
        }
        let d = Decoder::new(16 << 20, 4 << 20, 1 << 30, budget);
        d.decode(&bomb);
        assert_eq!(d.take_cut(), Some(Cut::DocumentCap));
    }

    #[test]
    fn small_streams_and_other_filters_decode() {
        let budget = Budget::new(Instant::now(), 10_000);
        let d = Decoder::new(1 << 20, 1 << 20, 1 << 30, budget);
        assert_eq!(d.decode(&deflated(b"BT ET")).unwrap(), b"BT ET");
        assert_eq!(hex(b"48 69>"), b"Hi");
        assert_eq!(ascii85(b"87cURD]i,\"Ebo80~>"), b"Hello World!");
        assert!(d.take_cut().is_none());
    }
}
