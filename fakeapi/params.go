package fakeapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// maxUploadBytes bounds a request body: Telegram takes uploads up to 50 MB.
const maxUploadBytes = 50 << 20

// params are a request's parameters, whatever way they came: query string,
// application/x-www-form-urlencoded, multipart/form-data or JSON. Nested
// objects (reply_markup, reply_parameters, ...) are kept as their JSON text,
// which is how multipart and form clients send them anyway.
type params struct {
	values map[string]string
	files  map[string]*upload
}

// upload is a file sent as a multipart part.
type upload struct {
	name string
	data []byte
}

func (p *params) str(name string) string { return p.values[name] }

func (p *params) has(name string) bool {
	_, ok := p.values[name]
	return ok
}

// int reads an integer parameter; absent or malformed reads as def, as the
// real server does.
func (p *params) int(name string, def int64) int64 {
	v, err := strconv.ParseInt(strings.TrimSpace(p.values[name]), 10, 64)
	if err != nil {
		return def
	}
	return v
}

// bool reads a boolean parameter the way the Bot API does.
func (p *params) bool(name string) bool {
	switch strings.ToLower(strings.TrimSpace(p.values[name])) {
	case "true", "1":
		return true
	}
	return false
}

// parseParams reads the parameters of r. The body, when there is one, wins
// over the query string.
func parseParams(w http.ResponseWriter, r *http.Request) (*params, *apiError) {
	p := &params{values: make(map[string]string)}
	for k, vs := range r.URL.Query() {
		if len(vs) > 0 {
			p.values[k] = vs[0]
		}
	}
	if r.Body == nil || r.Method == http.MethodGet {
		return p, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes+1<<20)
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch ct {
	case "multipart/form-data":
		err = p.readMultipart(r, ctParams["boundary"])
	case "application/x-www-form-urlencoded":
		if err = r.ParseForm(); err == nil {
			for k, vs := range r.PostForm {
				p.values[k] = vs[0]
			}
		}
	case "application/json":
		err = p.readJSON(r.Body)
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &apiError{code: http.StatusRequestEntityTooLarge, description: "Request Entity Too Large"}
		}
		return nil, badRequest("can't parse request: " + err.Error())
	}
	return p, nil
}

func (p *params) readMultipart(r *http.Request, boundary string) error {
	if boundary == "" {
		return errors.New("no multipart boundary")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return err
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			// Also an empty body: go-telegram/bot sends a multipart
			// content type and no parts at all for methods without
			// parameters, and Telegram takes that.
			return nil
		}
		if err != nil {
			return err
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return err
		}
		name := part.FormName()
		if part.FileName() != "" {
			if p.files == nil {
				p.files = make(map[string]*upload)
			}
			p.files[name] = &upload{name: part.FileName(), data: data}
			continue
		}
		p.values[name] = string(data)
	}
}

func (p *params) readJSON(body io.Reader) error {
	var fields map[string]json.RawMessage
	if err := json.NewDecoder(body).Decode(&fields); err != nil {
		return err
	}
	for k, raw := range fields {
		var s string
		switch {
		case string(raw) == "null":
			continue
		case json.Unmarshal(raw, &s) == nil:
			p.values[k] = s
		default:
			p.values[k] = string(raw)
		}
	}
	return nil
}
