package store

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"io"
)

// compressFrom is the size from which an outbox body is stored compressed.
// Bodies are kept 30 days (DefaultKeepBodies): a city's prompts and
// reminders of one month are 6,000 bodies of 1–5 KB (inline keyboards,
// Chinese text), a third of its database at the year's end; zlib makes
// them 3–4 times smaller for ~20 µs each. Short ones (most replies) stay
// plain JSON.
const compressFrom = 512

// encodeBody is how a payload is stored: its JSON, zlib-compressed when it
// is long. zlib data starts with 0x78, JSON with '{', so decodeBody tells
// them apart and rows written before compression read as they were.
func encodeBody(p Payload) ([]byte, error) {
	js, err := json.Marshal(p)
	if err != nil || len(js) < compressFrom {
		return js, err
	}
	var buf bytes.Buffer
	buf.Grow(len(js) / 2)
	zw, err := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(js); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if buf.Len() >= len(js) {
		return js, nil
	}
	return buf.Bytes(), nil
}

// decodeBody reads a stored payload (see encodeBody).
func decodeBody(b []byte, p *Payload) error {
	if len(b) > 0 && b[0] != '{' {
		zr, err := zlib.NewReader(bytes.NewReader(b))
		if err != nil {
			return fmt.Errorf("compressed body: %w", err)
		}
		js, err := io.ReadAll(zr)
		if err != nil {
			return fmt.Errorf("compressed body: %w", err)
		}
		b = js
	}
	return json.Unmarshal(b, p)
}
