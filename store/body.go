package store

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"io"
	"sync"
)

// compressFrom is the size from which an outbox body is stored compressed.
// Bodies are kept 30 days (DefaultKeepBodies): a city's prompts and
// reminders of one month are 6,000 bodies of 1–5 KB (inline keyboards,
// Chinese text), a third of its database at the year's end; zlib makes
// them 3–4 times smaller for ~20 µs each. Short ones stay plain JSON, and
// so do replies (see Enqueue): they are deleted a week after they are
// sent, and the ~20 µs would be a tenth of the intake's time per update.
const compressFrom = 512

var (
	writers = sync.Pool{New: func() any {
		zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
		return zw
	}}
	readers sync.Pool // of zlib readers, made on first use
)

// encodeBody is how a payload is stored: its JSON, zlib-compressed when it
// is long and compress is set. zlib data starts with 0x78, JSON with '{',
// so decodeBody tells them apart and rows written before compression read
// as they were.
func encodeBody(p Payload, compress bool) ([]byte, error) {
	js, err := json.Marshal(p)
	if err != nil || !compress || len(js) < compressFrom {
		return js, err
	}
	var buf bytes.Buffer
	buf.Grow(len(js) / 2)
	zw := writers.Get().(*zlib.Writer) // a new one allocates hundreds of KB
	defer writers.Put(zw)
	zw.Reset(&buf)
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
		var zr io.ReadCloser
		var err error
		if r, ok := readers.Get().(io.ReadCloser); ok {
			err = r.(zlib.Resetter).Reset(bytes.NewReader(b), nil)
			zr = r
		} else {
			zr, err = zlib.NewReader(bytes.NewReader(b))
		}
		if err != nil {
			return fmt.Errorf("compressed body: %w", err)
		}
		defer readers.Put(zr)
		js, err := io.ReadAll(zr)
		if err != nil {
			return fmt.Errorf("compressed body: %w", err)
		}
		b = js
	}
	return json.Unmarshal(b, p)
}
