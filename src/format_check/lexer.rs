//! A lenient, streaming content-stream tokenizer: one operation (operands + operator) at a time
//! into reused buffers, so memory stays flat however long the stream is.
//!
//! It never fails: comments are skipped, inline images (`BI … ID … EI`) are stepped over,
//! dictionaries and nested arrays become [`Arg::Other`], and a stray byte that fits nothing is
//! dropped, as viewers do. What the operators mean is `interp`'s business.

/// One operand. Byte ranges point into [`Operation::bytes`], arrays into [`Operation::elems`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Arg {
    /// An integer or real.
    Num(f64),
    /// A name without its slash (`#xx` escapes decoded).
    Name(u32, u32),
    /// A literal or hexadecimal string, decoded.
    Str(u32, u32),
    /// An array: range of [`Operation::elems`].
    Array(u32, u32),
    /// `null`, `true`, `false`, a dictionary or a nested array.
    Other,
}

/// One operation, filled by [`Lexer::next_op`].
#[derive(Debug, Default)]
pub(crate) struct Operation {
    pub operator: Vec<u8>,
    pub args: Vec<Arg>,
    pub elems: Vec<Arg>,
    pub bytes: Vec<u8>,
}

impl Operation {
    /// The bytes of a name or string operand.
    pub fn slice(&self, start: u32, end: u32) -> &[u8] {
        self.bytes.get(start as usize..end as usize).unwrap_or(&[])
    }

    /// The elements of an array operand.
    pub fn elements(&self, start: u32, end: u32) -> &[Arg] {
        self.elems.get(start as usize..end as usize).unwrap_or(&[])
    }

    /// Operand `i` as a number.
    pub fn num(&self, i: usize) -> Option<f64> {
        match self.args.get(i) {
            Some(Arg::Num(v)) if v.is_finite() => Some(*v),
            _ => None,
        }
    }

    /// The last operand as a name.
    pub fn name(&self) -> Option<&[u8]> {
        match self.args.last() {
            Some(Arg::Name(s, e)) => Some(self.slice(*s, *e)),
            _ => None,
        }
    }
}

/// Character classes of PDF syntax (§7.2.3), looked up once per byte.
const WHITESPACE: u8 = 1;
const DELIMITER: u8 = 2;
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let spaces = b" \t\n\r\0\x0C";
    let mut i = 0;
    while i < spaces.len() {
        table[spaces[i] as usize] = WHITESPACE;
        i += 1;
    }
    let delimiters = b"()<>[]{}/%";
    let mut i = 0;
    while i < delimiters.len() {
        table[delimiters[i] as usize] = DELIMITER;
        i += 1;
    }
    table
};

fn is_whitespace(c: u8) -> bool {
    CLASS[c as usize] == WHITESPACE
}

fn is_regular(c: u8) -> bool {
    CLASS[c as usize] == 0
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Longest run of blanks and comments skipped before an empty operation is handed back.
const FILLER_RUN: usize = 1 << 20;

/// Largest number of operands kept for one operation (more are dropped).
const MAX_ARGS: usize = 64;

/// Streams operations out of a content stream.
pub(crate) struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Reads the next operation into `op`; `false` at the end of the stream.
    pub fn next_op(&mut self, op: &mut Operation) -> bool {
        op.operator.clear();
        op.args.clear();
        op.elems.clear();
        op.bytes.clear();
        loop {
            if self.skip_space() {
                // A long run of blanks or comments: hand back an empty operation so the caller
                // can look at its clock (a compression bomb of blanks is one long run).
                return true;
            }
            let Some(c) = self.peek() else {
                return false;
            };
            match c {
                b'/' => {
                    let arg = self.name(op);
                    self.push(op, arg);
                }
                b'(' => {
                    let arg = self.literal(op);
                    self.push(op, arg);
                }
                b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                    self.skip_dict();
                    self.push(op, Arg::Other);
                }
                b'<' => {
                    let arg = self.hex(op);
                    self.push(op, arg);
                }
                b'[' => {
                    let arg = self.array(op);
                    self.push(op, arg);
                }
                _ if is_regular(c) => {
                    let start = self.pos;
                    while self.peek().is_some_and(is_regular) {
                        self.pos += 1;
                    }
                    let word = &self.data[start..self.pos];
                    if let Some(arg) = literal_word(word) {
                        self.push(op, arg);
                        continue;
                    }
                    if word == b"BI" {
                        self.skip_inline_image();
                        op.args.clear();
                        op.bytes.clear();
                        op.elems.clear();
                        continue;
                    }
                    op.operator.extend_from_slice(word);
                    return true;
                }
                // A stray delimiter (`)`, `>`, `]`, `{`, `}`): drop it.
                _ => self.pos += 1,
            }
        }
    }

    fn push(&mut self, op: &mut Operation, arg: Arg) {
        if op.args.len() < MAX_ARGS {
            op.args.push(arg);
        }
    }

    /// Skips blanks and comments; `true` when it stopped after [`FILLER_RUN`] bytes with more
    /// to skip.
    fn skip_space(&mut self) -> bool {
        let stop = self.pos.saturating_add(FILLER_RUN);
        while let Some(c) = self.peek() {
            if self.pos >= stop {
                return true;
            }
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
        false
    }

    fn name(&mut self, op: &mut Operation) -> Arg {
        self.pos += 1;
        let start = op.bytes.len();
        while let Some(c) = self.peek() {
            if !is_regular(c) {
                break;
            }
            self.pos += 1;
            if c == b'#'
                && let (Some(hi), Some(lo)) = (
                    self.data.get(self.pos).copied().and_then(hex_value),
                    self.data.get(self.pos + 1).copied().and_then(hex_value),
                )
            {
                op.bytes.push(hi << 4 | lo);
                self.pos += 2;
                continue;
            }
            op.bytes.push(c);
        }
        range(Arg::Name, start, op.bytes.len())
    }

    fn literal(&mut self, op: &mut Operation) -> Arg {
        self.pos += 1;
        let start = op.bytes.len();
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    op.bytes.push(c);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    op.bytes.push(c);
                }
                b'\\' => self.escape(op),
                _ => op.bytes.push(c),
            }
        }
        range(Arg::Str, start, op.bytes.len())
    }

    fn escape(&mut self, op: &mut Operation) {
        let Some(c) = self.peek() else { return };
        if (b'0'..=b'7').contains(&c) {
            let mut value: u16 = 0;
            let mut n = 0;
            while n < 3 {
                match self.peek() {
                    Some(d @ b'0'..=b'7') => {
                        value = value * 8 + u16::from(d - b'0');
                        self.pos += 1;
                        n += 1;
                    }
                    _ => break,
                }
            }
            op.bytes.push(value as u8);
            return;
        }
        self.pos += 1;
        match c {
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            b'\n' => {}
            b'n' => op.bytes.push(b'\n'),
            b'r' => op.bytes.push(b'\r'),
            b't' => op.bytes.push(b'\t'),
            b'b' => op.bytes.push(b'\x08'),
            b'f' => op.bytes.push(b'\x0C'),
            other => op.bytes.push(other),
        }
    }

    fn hex(&mut self, op: &mut Operation) -> Arg {
        self.pos += 1;
        let start = op.bytes.len();
        let mut high = true;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'>' {
                break;
            }
            let Some(d) = hex_value(c) else { continue };
            if high {
                op.bytes.push(d << 4);
            } else if let Some(last) = op.bytes.last_mut() {
                *last |= d;
            }
            high = !high;
        }
        range(Arg::Str, start, op.bytes.len())
    }

    fn array(&mut self, op: &mut Operation) -> Arg {
        self.pos += 1;
        // Nested arrays are skipped, so the items go straight into `elems`.
        let start = op.elems.len();
        loop {
            if self.skip_space() {
                break; // a megabyte of blanks inside an array: give the clock a chance
            }
            let Some(c) = self.peek() else { break };
            let item = match c {
                b']' => {
                    self.pos += 1;
                    break;
                }
                b'/' => self.name(op),
                b'(' => self.literal(op),
                b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                    self.skip_dict();
                    Arg::Other
                }
                b'<' => self.hex(op),
                b'[' => {
                    self.skip_nested(b'[', b']');
                    Arg::Other
                }
                _ if is_regular(c) => {
                    let start = self.pos;
                    while self.peek().is_some_and(is_regular) {
                        self.pos += 1;
                    }
                    match literal_word(&self.data[start..self.pos]) {
                        Some(arg) => arg,
                        // An operator inside an array: the array was not closed.
                        None => {
                            self.pos = start;
                            break;
                        }
                    }
                }
                _ => {
                    self.pos += 1;
                    continue;
                }
            };
            op.elems.push(item);
        }
        range(Arg::Array, start, op.elems.len())
    }

    /// Skips a balanced `<< … >>` (strings inside are stepped over).
    fn skip_dict(&mut self) {
        let mut depth = 0usize;
        while self.pos < self.data.len() {
            let rest = &self.data[self.pos..];
            if rest.starts_with(b"<<") {
                depth += 1;
                self.pos += 2;
            } else if rest.starts_with(b">>") {
                self.pos += 2;
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return;
                }
            } else if rest[0] == b'(' {
                let mut scratch = Operation::default();
                self.literal(&mut scratch);
            } else {
                self.pos += 1;
            }
        }
    }

    /// Skips a balanced `[ … ]` (strings inside are stepped over).
    fn skip_nested(&mut self, open: u8, close: u8) {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            if c == b'(' {
                let mut scratch = Operation::default();
                self.literal(&mut scratch);
                continue;
            }
            self.pos += 1;
            if c == open {
                depth += 1;
            } else if c == close {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return;
                }
            }
        }
    }

    /// After `BI`: skips the image dictionary, `ID`, the data and `EI`.
    fn skip_inline_image(&mut self) {
        let rest = &self.data[self.pos..];
        let Some(id) = find_word(rest, b"ID", 0) else {
            self.pos = self.data.len();
            return;
        };
        let data_start = id + 3;
        match find_word(rest, b"EI", data_start) {
            Some(ei) => self.pos += ei + 2,
            None => self.pos = self.data.len(),
        }
    }
}

/// Position of `word` standing alone (whitespace or the ends around it) at or after `from`.
fn find_word(data: &[u8], word: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + word.len() <= data.len() {
        if &data[i..i + word.len()] == word
            && (i == 0 || is_whitespace(data[i - 1]))
            && data.get(i + word.len()).is_none_or(|&c| is_whitespace(c))
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn range(make: fn(u32, u32) -> Arg, start: usize, end: usize) -> Arg {
    match (u32::try_from(start), u32::try_from(end)) {
        (Ok(s), Ok(e)) => make(s, e),
        _ => Arg::Other,
    }
}

/// A number, `true`, `false` or `null`; `None` for an operator.
fn literal_word(word: &[u8]) -> Option<Arg> {
    match word {
        b"true" | b"false" | b"null" => return Some(Arg::Other),
        _ => {}
    }
    let first = *word.first()?;
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return None;
    }
    if let Some(v) = plain_number(word) {
        return Some(Arg::Num(v));
    }
    let text = std::str::from_utf8(word).ok()?;
    if let Ok(v) = text.parse::<f64>() {
        return Some(Arg::Num(v));
    }
    // Malformed numbers ("--5", "1.2.3", "5-"): keep the longest numeric prefix, as viewers do.
    let trimmed = text.trim_start_matches(['+', '-']);
    let negative = text.starts_with('-');
    let end = trimmed
        .char_indices()
        .scan(false, |dot, (i, c)| {
            if c.is_ascii_digit() {
                Some(i + 1)
            } else if c == '.' && !*dot {
                *dot = true;
                Some(i + 1)
            } else {
                None
            }
        })
        .last()
        .unwrap_or(0);
    let value = trimmed[..end].parse::<f64>().unwrap_or(0.0);
    Some(Arg::Num(if negative { -value } else { value }))
}

/// The common case of a content-stream number, `-12.375` (sign, at most 15 digits, at most one
/// point), without the general float parser. Exactly what `str::parse::<f64>` gives: the digits
/// form an integer below 2^53 and the power of ten is exact, so the one division rounds once.
pub(crate) fn plain_number(word: &[u8]) -> Option<f64> {
    let (negative, digits) = match word.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, word),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut count = 0;
    let mut decimals: Option<usize> = None;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                count += 1;
            }
            b'.' if decimals.is_none() => decimals = Some(digits.len() - i - 1),
            _ => return None,
        }
    }
    if count == 0 || count > 15 {
        return None;
    }
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let value = mantissa as f64 / POWERS[decimals.unwrap_or(0)];
    Some(if negative { -value } else { value })
}
