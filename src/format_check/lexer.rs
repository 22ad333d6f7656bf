//! A content-stream tokenizer for the fast interpreter (`fast`), replacing lopdf's
//! `Content::decode` (a nom parser that allocates an `Object` per operand, about 40% of the
//! check's time). It mirrors lopdf 0.42's content grammar for what real papers contain:
//! numbers (`f32`/`i64` parsed from the same text), names, literal and hexadecimal strings,
//! flat arrays, `null`/`true`/`false` and operators. Anything else (comments, inline images,
//! dictionaries, nested arrays, text lopdf would stop at) returns `None`, and the caller falls
//! back to pdf-extract, so the result never differs from what lopdf and pdf-extract produce.

use std::str::FromStr;

/// One operand. Byte ranges point into [`Ops::bytes`], arrays into [`Ops::elems`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Arg {
    /// An integer or real, converted to `f64` as pdf-extract's `as_num` does.
    Num(f64),
    /// A name without its slash (`#xx` escapes decoded).
    Name(u32, u32),
    /// A literal or hexadecimal string, decoded.
    Str(u32, u32),
    /// An array: range of [`Ops::elems`].
    Array(u32, u32),
    /// `null`, `true` or `false`.
    Other,
}

/// One operation: its operator and a range of [`Ops::args`].
#[derive(Debug, Clone)]
pub(crate) struct Op {
    pub operator: Vec<u8>,
    pub first: u32,
    pub count: u32,
}

/// A tokenized content stream.
#[derive(Debug, Default)]
pub(crate) struct Ops {
    pub ops: Vec<Op>,
    pub args: Vec<Arg>,
    pub elems: Vec<Arg>,
    pub bytes: Vec<u8>,
}

impl Ops {
    /// The operands of one operation.
    pub fn operands(&self, op: &Op) -> &[Arg] {
        self.args
            .get(op.first as usize..(op.first + op.count) as usize)
            .unwrap_or(&[])
    }

    /// The bytes of a name or string operand.
    pub fn slice(&self, start: u32, end: u32) -> &[u8] {
        self.bytes.get(start as usize..end as usize).unwrap_or(&[])
    }

    /// The elements of an array operand.
    pub fn elements(&self, start: u32, end: u32) -> &[Arg] {
        self.elems.get(start as usize..end as usize).unwrap_or(&[])
    }
}

fn is_whitespace(c: u8) -> bool {
    b" \t\n\r\0\x0C".contains(&c)
}

fn is_delimiter(c: u8) -> bool {
    b"()<>[]{}/%".contains(&c)
}

fn is_regular(c: u8) -> bool {
    !is_whitespace(c) && !is_delimiter(c)
}

fn is_content_space(c: u8) -> bool {
    b" \t\r\n".contains(&c)
}

fn is_operator_char(c: u8) -> bool {
    c.is_ascii_alphabetic() || b"*'\"".contains(&c)
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    out: Ops,
}

/// Tokenizes a whole content stream, or `None` where we do not mirror lopdf exactly.
pub(crate) fn tokenize(data: &[u8]) -> Option<Ops> {
    let mut lexer = Lexer {
        data,
        pos: 0,
        out: Ops::default(),
    };
    lexer.out.bytes.reserve(data.len() / 2);
    lexer.skip(is_content_space);
    while lexer.pos < data.len() {
        lexer.operation()?;
    }
    Some(lexer.out)
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn skip(&mut self, class: fn(u8) -> bool) {
        while self.peek().is_some_and(class) {
            self.pos += 1;
        }
    }

    fn starts_with(&self, tag: &[u8]) -> bool {
        self.data
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(tag))
    }

    fn operation(&mut self) -> Option<()> {
        if self.starts_with(b"BI") || self.peek() == Some(b'%') {
            return None;
        }
        let first = self.out.args.len();
        while let Some(arg) = self.operand(false)? {
            self.out.args.push(arg);
            self.skip(is_content_space);
        }
        let start = self.pos;
        self.skip(is_operator_char);
        if self.pos == start {
            return None;
        }
        let operator = self.data.get(start..self.pos)?.to_vec();
        self.out.ops.push(Op {
            operator,
            first: u32::try_from(first).ok()?,
            count: u32::try_from(self.out.args.len() - first).ok()?,
        });
        self.skip(is_content_space);
        Some(())
    }

    /// `Some(None)`: no operand here (an operator follows); `None`: give up.
    fn operand(&mut self, in_array: bool) -> Option<Option<Arg>> {
        for tag in [&b"null"[..], b"true", b"false"] {
            if self.starts_with(tag) {
                self.pos += tag.len();
                return Some(Some(Arg::Other));
            }
        }
        let Some(c) = self.peek() else {
            return Some(None);
        };
        match c {
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number().map(Some),
            b'/' => self.name().map(Some),
            b'(' => self.literal().map(Some),
            b'<' => self.hex().map(Some),
            b'[' if !in_array => self.array().map(Some),
            _ if in_array || !is_operator_char(c) => None,
            _ => Some(None),
        }
    }

    fn number(&mut self) -> Option<Arg> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let digits = self.pos;
        self.skip(|c| c.is_ascii_digit());
        let int_digits = self.pos - digits;
        let text = |s: &Self| std::str::from_utf8(s.data.get(start..s.pos)?).ok();
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let frac = self.pos;
            self.skip(|c| c.is_ascii_digit());
            if int_digits == 0 && self.pos == frac {
                return None;
            }
            let value = f32::from_str(text(self)?).ok()?;
            return Some(Arg::Num(f64::from(value)));
        }
        if int_digits == 0 {
            return None;
        }
        let value = i64::from_str(text(self)?).ok()?;
        Some(Arg::Num(value as f64))
    }

    fn name(&mut self) -> Option<Arg> {
        self.pos += 1;
        let start = self.out.bytes.len();
        while let Some(c) = self.peek() {
            if c == b'#' {
                let hi = hex_value(*self.data.get(self.pos + 1)?)?;
                let lo = hex_value(*self.data.get(self.pos + 2)?)?;
                self.out.bytes.push(hi << 4 | lo);
                self.pos += 3;
            } else if is_regular(c) {
                self.out.bytes.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        Some(Arg::Name(
            u32::try_from(start).ok()?,
            u32::try_from(self.out.bytes.len()).ok()?,
        ))
    }

    fn literal(&mut self) -> Option<Arg> {
        self.pos += 1;
        let start = self.out.bytes.len();
        let mut depth = 0usize;
        loop {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    if depth > 8 {
                        return None;
                    }
                    self.out.bytes.push(c);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    self.out.bytes.push(c);
                }
                b'\\' => self.escape()?,
                _ => self.out.bytes.push(c),
            }
        }
        Some(Arg::Str(
            u32::try_from(start).ok()?,
            u32::try_from(self.out.bytes.len()).ok()?,
        ))
    }

    /// After a backslash, as lopdf's `escape_sequence`.
    fn escape(&mut self) -> Option<()> {
        let c = self.peek()?;
        if (b'0'..=b'7').contains(&c) {
            let mut value: u16 = 0;
            let mut n = 0;
            while n < 3 && self.peek().is_some_and(|d| (b'0'..=b'7').contains(&d)) {
                value = value * 8 + u16::from(self.peek()? - b'0');
                self.pos += 1;
                n += 1;
            }
            self.out.bytes.push(value as u8);
            return Some(());
        }
        self.pos += 1;
        match c {
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            b'\n' => {}
            b'n' => self.out.bytes.push(b'\n'),
            b'r' => self.out.bytes.push(b'\r'),
            b't' => self.out.bytes.push(b'\t'),
            b'b' => self.out.bytes.push(b'\x08'),
            b'f' => self.out.bytes.push(b'\x0C'),
            other => self.out.bytes.push(other),
        }
        Some(())
    }

    fn hex(&mut self) -> Option<Arg> {
        if self.starts_with(b"<<") {
            return None;
        }
        self.pos += 1;
        let start = self.out.bytes.len();
        let mut high = true;
        loop {
            self.skip(is_whitespace);
            let c = self.peek()?;
            self.pos += 1;
            if c == b'>' {
                break;
            }
            let d = hex_value(c)?;
            if high {
                self.out.bytes.push(d << 4);
            } else if let Some(last) = self.out.bytes.last_mut() {
                *last |= d;
            }
            high = !high;
        }
        Some(Arg::Str(
            u32::try_from(start).ok()?,
            u32::try_from(self.out.bytes.len()).ok()?,
        ))
    }

    fn array(&mut self) -> Option<Arg> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip(is_whitespace);
            match self.peek()? {
                b']' => {
                    self.pos += 1;
                    break;
                }
                b'%' => return None,
                _ => items.push(self.operand(true)??),
            }
        }
        let start = u32::try_from(self.out.elems.len()).ok()?;
        self.out.elems.extend(items);
        Some(Arg::Array(start, u32::try_from(self.out.elems.len()).ok()?))
    }
}
