//! PDF object syntax (PDF 32000-1 §7.3) read from bytes into lopdf's [`Object`] values: the
//! direct objects, an indirect object's `N G obj … endobj` frame and a stream's data. What is
//! accepted matches lopdf 0.42's parser (numbers, names with `#xx` escapes, literal strings with
//! their escapes, nesting at most [`MAX_DEPTH`] deep); where lopdf would drop a whole stream
//! because its `/Length` is wrong or indirect, the data is measured up to `endstream` instead.
//!
//! Nothing here looks anything up: references stay [`Object::Reference`]s, and the
//! cross-reference reading lives in `xref`.

use pdf_extract::{Dictionary, Object, Stream, StringFormat};

/// Deepest nesting of arrays and dictionaries read (lopdf's `MAX_NESTING_DEPTH`).
const MAX_DEPTH: usize = 100;
/// Deepest nesting of parentheses inside a literal string (lopdf's `MAX_BRACKET`).
const MAX_BRACKET: usize = 100;

fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0C')
}

fn is_regular(c: u8) -> bool {
    !is_whitespace(c) && !b"()<>[]{}/%".contains(&c)
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Where the `endstream` keywords of a file are, found in one pass the first time a stream's
/// data has to be measured (its `/Length` missing, indirect or wrong): every later measure is a
/// binary search, so a hostile file of many such streams costs one pass, not one per stream.
pub(crate) struct Ends<'a> {
    data: &'a [u8],
    found: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Ends<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Ends {
            data,
            found: std::cell::OnceCell::new(),
        }
    }

    /// The first `endstream` at or after `from`.
    fn after(&self, from: usize) -> Option<usize> {
        let found = self
            .found
            .get_or_init(|| memchr::memmem::find_iter(self.data, b"endstream").collect());
        found.get(found.partition_point(|&at| at < from)).copied()
    }
}

/// A cursor over PDF bytes.
pub(crate) struct Cursor<'a> {
    pub data: &'a [u8],
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        Cursor { data, pos }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.data
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(s))
    }

    /// Skips blanks and comments.
    pub fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if is_whitespace(c) {
                self.pos += 1;
            } else if c == b'%' {
                while self.peek().is_some_and(|c| c != b'\n' && c != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Skips `keyword` (after blanks) if it is next.
    pub fn keyword(&mut self, keyword: &[u8]) -> bool {
        self.skip_space();
        if self.starts_with(keyword)
            && !self
                .data
                .get(self.pos + keyword.len())
                .copied()
                .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            self.pos += keyword.len();
            true
        } else {
            false
        }
    }

    /// An unsigned integer (digits only), after blanks.
    pub fn unsigned(&mut self) -> Option<u64> {
        self.skip_space();
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(c) = self.peek().filter(u8::is_ascii_digit) {
            value = value.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            self.pos += 1;
        }
        (self.pos > start).then_some(value)
    }

    /// The header `N G obj` of an indirect object.
    pub fn object_header(&mut self) -> Option<(u32, u16)> {
        let number = u32::try_from(self.unsigned()?).ok()?;
        let generation = u16::try_from(self.unsigned()?).ok()?;
        self.keyword(b"obj").then_some((number, generation))
    }

    /// One direct object, after blanks.
    pub fn object(&mut self) -> Option<Object> {
        self.direct(MAX_DEPTH)
    }

    fn direct(&mut self, depth: usize) -> Option<Object> {
        if depth == 0 {
            return None;
        }
        self.skip_space();
        let c = self.peek()?;
        match c {
            b'/' => self.name().map(Object::Name),
            b'(' => {
                self.pos += 1;
                let mut out = Vec::new();
                self.literal(&mut out, MAX_BRACKET)?;
                Some(Object::String(out, StringFormat::Literal))
            }
            b'<' if self.starts_with(b"<<") => self.dictionary(depth).map(Object::Dictionary),
            b'<' => self
                .hex()
                .map(|s| Object::String(s, StringFormat::Hexadecimal)),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    match self.peek()? {
                        b']' => {
                            self.pos += 1;
                            return Some(Object::Array(items));
                        }
                        _ => items.push(self.direct(depth - 1)?),
                    }
                }
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number_or_reference(),
            _ if self.keyword(b"null") => Some(Object::Null),
            _ if self.keyword(b"true") => Some(Object::Boolean(true)),
            _ if self.keyword(b"false") => Some(Object::Boolean(false)),
            _ => None,
        }
    }

    /// `<< /Key value … >>`; a later duplicate key replaces the earlier value, as in lopdf.
    fn dictionary(&mut self, depth: usize) -> Option<Dictionary> {
        self.pos += 2;
        let mut dict = Dictionary::new();
        loop {
            self.skip_space();
            if self.starts_with(b">>") {
                self.pos += 2;
                return Some(dict);
            }
            if self.peek()? != b'/' {
                return None;
            }
            let key = self.name()?;
            let value = self.direct(depth - 1)?;
            dict.set(key, value);
        }
    }

    /// A name without its slash, `#xx` escapes decoded.
    fn name(&mut self) -> Option<Vec<u8>> {
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(c) = self.peek().filter(|&c| is_regular(c)) {
            if c == b'#' {
                let high = self.data.get(self.pos + 1).copied().and_then(hex_value);
                let low = self.data.get(self.pos + 2).copied().and_then(hex_value);
                match (high, low) {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        self.pos += 3;
                    }
                    // lopdf ends the name at a `#` without two hex digits.
                    _ => break,
                }
            } else {
                out.push(c);
                self.pos += 1;
            }
        }
        Some(out)
    }

    /// The rest of a literal string after its `(`, appended to `out`.
    fn literal(&mut self, out: &mut Vec<u8>, brackets: usize) -> Option<()> {
        loop {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                b')' => return Some(()),
                b'(' => {
                    if brackets == 0 {
                        return None;
                    }
                    out.push(b'(');
                    self.literal(out, brackets - 1)?;
                    out.push(b')');
                }
                b'\\' => {
                    let e = self.peek()?;
                    self.pos += 1;
                    match e {
                        b'0'..=b'7' => {
                            let mut value = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(value as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(b'\x08'),
                        b'f' => out.push(b'\x0C'),
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    /// `<hex digits>`, blanks allowed; an odd last digit is the high half of its byte.
    fn hex(&mut self) -> Option<Vec<u8>> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut half = false;
        loop {
            let c = self.peek()?;
            self.pos += 1;
            if c == b'>' {
                return Some(out);
            }
            if is_whitespace(c) {
                continue;
            }
            let d = hex_value(c)?;
            if half {
                if let Some(last) = out.last_mut() {
                    *last |= d;
                }
            } else {
                out.push(d << 4);
            }
            half = !half;
        }
    }

    /// A reference `N G R`, a real (with a `.`) or an integer, in lopdf's order.
    fn number_or_reference(&mut self) -> Option<Object> {
        let start = self.pos;
        if let Some(reference) = self.reference() {
            return Some(reference);
        }
        self.pos = start;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let digits_start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let int_digits = self.pos - digits_start;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let frac_start = self.pos;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
            if int_digits == 0 && self.pos == frac_start {
                return None;
            }
            let text = std::str::from_utf8(&self.data[start..self.pos]).ok()?;
            return text.parse::<f32>().ok().map(Object::Real);
        }
        if int_digits == 0 {
            return None;
        }
        let text = std::str::from_utf8(&self.data[start..self.pos]).ok()?;
        text.parse::<i64>().ok().map(Object::Integer)
    }

    fn reference(&mut self) -> Option<Object> {
        let digits = |cursor: &mut Self| -> Option<u64> {
            let start = cursor.pos;
            let mut value: u64 = 0;
            while let Some(c) = cursor.peek().filter(u8::is_ascii_digit) {
                value = value.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
                cursor.pos += 1;
            }
            (cursor.pos > start).then_some(value)
        };
        let number = u32::try_from(digits(self)?).ok()?;
        self.skip_space();
        let generation = u16::try_from(digits(self)?).ok()?;
        self.skip_space();
        if self.peek() == Some(b'R') {
            self.pos += 1;
            Some(Object::Reference((number, generation)))
        } else {
            None
        }
    }

    /// After a dictionary: the data of the stream it opens, if `stream` follows. `length` is
    /// the dictionary's direct `/Length`; when it is missing, indirect or wrong, the data runs
    /// to the `endstream` keyword. The data never reaches `limit` (where the next object of
    /// the file starts), so no two streams share bytes and a file's streams together hold at
    /// most its size. `None`: no stream follows, or it has no end before `limit`.
    pub fn stream_data(
        &mut self,
        length: Option<i64>,
        ends: &Ends,
        limit: usize,
    ) -> Option<&'a [u8]> {
        let limit = limit.min(self.data.len());
        self.skip_space();
        if !self.starts_with(b"stream") {
            return None;
        }
        self.pos += b"stream".len();
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        if self.starts_with(b"\r\n") {
            self.pos += 2;
        } else if matches!(self.peek(), Some(b'\n' | b'\r')) {
            self.pos += 1;
        }
        let start = self.pos;
        if let Some(end) = length
            .and_then(|l| usize::try_from(l).ok())
            .and_then(|l| start.checked_add(l))
            .filter(|&end| end <= limit)
        {
            let mut after = end;
            if self.data[after..].starts_with(b"\r\n") {
                after += 2;
            } else if matches!(self.data.get(after), Some(b'\n' | b'\r')) {
                after += 1;
            }
            if self.data[after..].starts_with(b"endstream") {
                self.pos = after + b"endstream".len();
                return Some(&self.data[start..end]);
            }
        }
        let mut end = ends.after(start).filter(|&end| end < limit)?;
        self.pos = end + b"endstream".len();
        if end > start && self.data[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && self.data[end - 1] == b'\r' {
            end -= 1;
        }
        Some(&self.data[start..end])
    }
}

/// The indirect object at `offset` in `data`: its id and the object, a stream's data copied
/// (or left empty for images, which never hold text).
/// `limit`: where the next object of the file starts (see [`Cursor::stream_data`]).
pub(crate) fn indirect_object(
    data: &[u8],
    offset: usize,
    ends: &Ends,
    limit: usize,
) -> Option<((u32, u16), Object)> {
    let mut cursor = Cursor::new(data, offset);
    let id = cursor.object_header()?;
    let object = cursor.object()?;
    let Object::Dictionary(mut dict) = object else {
        return Some((id, object));
    };
    let length = match dict.get(b"Length") {
        Ok(Object::Integer(n)) => Some(*n),
        _ => None,
    };
    let Some(content) = cursor.stream_data(length, ends, limit) else {
        return Some((id, Object::Dictionary(dict)));
    };
    let image = matches!(dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Image");
    let content = if image {
        dict.remove(b"Filter");
        dict.remove(b"DecodeParms");
        Vec::new()
    } else {
        content.to_vec()
    };
    Some((
        id,
        Object::Stream(Stream {
            dict,
            content,
            allows_compression: true,
            start_position: None,
        }),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn parse(text: &[u8]) -> Option<Object> {
        Cursor::new(text, 0).object()
    }

    #[test]
    fn direct_objects_read_as_lopdf_reads_them() {
        assert_eq!(parse(b"12 0 R"), Some(Object::Reference((12, 0))));
        assert_eq!(parse(b"-.5"), Some(Object::Real(-0.5)));
        assert_eq!(parse(b"5."), Some(Object::Real(5.0)));
        assert_eq!(parse(b"+17"), Some(Object::Integer(17)));
        assert_eq!(parse(b"/A#20B"), Some(Object::Name(b"A B".to_vec())));
        assert_eq!(
            parse(b"(a\\(b\\) (c) \\101\\\nd)"),
            Some(Object::String(
                b"a(b) (c) Ad".to_vec(),
                StringFormat::Literal
            ))
        );
        assert_eq!(
            parse(b"<48 6>"),
            Some(Object::String(b"H`".to_vec(), StringFormat::Hexadecimal))
        );
        let dict = parse(b"<</Type/Page/Kids[1 0 R 2 0 R]/N null %c\n/W [1 2.5]>>").unwrap();
        let dict = dict.as_dict().unwrap();
        assert_eq!(dict.get(b"Kids").unwrap().as_array().unwrap().len(), 2);
        assert_eq!(dict.get(b"N").unwrap(), &Object::Null);
        assert!(parse(b"<</A 1").is_none());
        assert!(parse(b"[[[[").is_none());
        let deep = vec![b'['; 10_000];
        assert!(parse(&deep).is_none(), "nesting is bounded");
    }

    #[test]
    fn streams_take_their_length_or_run_to_endstream() {
        let file = b"4 0 obj\n<</Length 3>>\nstream\nabc\nendstream\nendobj\n\
                     5 0 obj <</Length 9 0 R>> stream\r\nxyz\r\nendstream endobj";
        let ends = Ends::new(file);
        let (id, object) = indirect_object(file, 0, &ends, usize::MAX).unwrap();
        assert_eq!(id, (4, 0));
        assert_eq!(object.as_stream().unwrap().content, b"abc");
        let at = memchr::memmem::find(file, b"5 0 obj").unwrap();
        let (_, object) = indirect_object(file, at, &ends, usize::MAX).unwrap();
        assert_eq!(object.as_stream().unwrap().content, b"xyz");
        let wrong = b"1 0 obj <</Length 99>> stream\nabcd\nendstream";
        let (_, object) = indirect_object(wrong, 0, &Ends::new(wrong), usize::MAX).unwrap();
        assert_eq!(object.as_stream().unwrap().content, b"abcd");
        // Data that would run into the next object is no stream's.
        let (_, object) = indirect_object(file, 0, &ends, 20).unwrap();
        assert!(object.as_dict().is_ok() && object.as_stream().is_err());
    }
}
