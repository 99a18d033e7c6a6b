package fakeapi

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/gif" // sendPhoto accepts what Telegram can decode
	_ "image/jpeg"
	_ "image/png"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// maxDownload is the largest file getFile hands out.
const maxDownload = 20 << 20

// File is a file the bot sent: uploaded (Data set), reused by file_id, or
// given by URL.
type File struct {
	Name   string
	Data   []byte
	FileID string // the file_id Telegram knows the file by
	URL    string // when the bot sent a URL for Telegram to fetch
}

// storedFile is a file the server holds, sent by the bot or a user.
type storedFile struct {
	id, uniqueID string
	kind         string // document, photo, sticker
	name, mime   string
	size         int64
	data         []byte // nil: size bytes made up on download
	width        int
	height       int
	path         string // file_path getFile reports
}

// registerLocked stores a new file. data may be nil for a file that only
// has a size.
func (s *Server) registerLocked(kind, name string, data []byte, size int64) *storedFile {
	s.nextFile++
	n := s.nextFile
	if data != nil {
		size = int64(len(data))
	}
	f := &storedFile{
		id:       fmt.Sprintf("BQACAgUAAxkBAAI%08dTEST", n),
		uniqueID: fmt.Sprintf("AgAD%06d", n),
		kind:     kind,
		name:     name,
		mime:     mime.TypeByExtension(path.Ext(name)),
		size:     size,
		data:     data,
		path:     fmt.Sprintf("%ss/file_%d%s", kind, n, path.Ext(name)),
	}
	if f.mime == "" {
		f.mime = "application/octet-stream"
	}
	s.files[f.id] = f
	return f
}

// inputFileLocked resolves the InputFile parameter field (document, photo):
// an uploaded part, "attach://<part>", an http(s) URL or a file_id.
func (s *Server) inputFileLocked(p *params, field string) (*storedFile, *File, *apiError) {
	v := p.str(field)
	up := p.files[field]
	if name, ok := strings.CutPrefix(v, "attach://"); ok && up == nil {
		up = p.files[name]
	}
	switch {
	case up != nil:
		if len(up.data) == 0 {
			return nil, nil, badRequest("file must be non-empty")
		}
		var cfg image.Config
		if field == "photo" {
			var err error
			if cfg, _, err = image.DecodeConfig(bytes.NewReader(up.data)); err != nil {
				return nil, nil, badRequest("IMAGE_PROCESS_FAILED")
			}
			if aerr := photoDimensions(cfg); aerr != nil {
				return nil, nil, aerr
			}
		}
		f := s.registerLocked(field, up.name, up.data, 0)
		f.width, f.height = cfg.Width, cfg.Height
		return f, &File{Name: up.name, Data: up.data, FileID: f.id}, nil
	case v == "":
		return nil, nil, badRequest("there is no " + field + " in the request")
	case strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://"):
		u, err := url.Parse(v)
		if err != nil || u.Host == "" {
			return nil, nil, badRequest("wrong file identifier/HTTP URL specified")
		}
		f := s.registerLocked(field, path.Base(u.Path), nil, 0)
		f.width, f.height = 1280, 960
		return f, &File{Name: f.name, FileID: f.id, URL: v}, nil
	}
	f := s.files[v]
	if f == nil {
		return nil, nil, badRequest("wrong file identifier/HTTP URL specified")
	}
	return f, &File{Name: f.name, Data: f.data, FileID: f.id}, nil
}

func (f *storedFile) documentJSON() map[string]any {
	out := map[string]any{
		"file_id":        f.id,
		"file_unique_id": f.uniqueID,
		"mime_type":      f.mime,
		"file_size":      f.size,
	}
	if f.name != "" {
		out["file_name"] = f.name
	}
	return out
}

// photoJSON is the photo as Telegram lists it: a thumbnail and the photo
// itself, at most 1280 pixels on its long side.
func (f *storedFile) photoJSON() []map[string]any {
	w, h := f.width, f.height
	if w <= 0 || h <= 0 {
		w, h = 1280, 960
	}
	size := func(w, h, side int) (int, int) {
		if w <= side && h <= side {
			return w, h
		}
		if w >= h {
			return side, max(h*side/w, 1)
		}
		return max(w*side/h, 1), side
	}
	tw, th := size(w, h, 90)
	fw, fh := size(w, h, 1280)
	return []map[string]any{
		{"file_id": f.id + "-thumb", "file_unique_id": f.uniqueID + "-t", "file_size": min(f.size, 2048), "width": tw, "height": th},
		{"file_id": f.id, "file_unique_id": f.uniqueID, "file_size": f.size, "width": fw, "height": fh},
	}
}

// getFile answers with the file's download path; the bytes are served at
// /file/bot<token>/<file_path>.
func (s *Server) getFile(_ context.Context, p *params) (any, *apiError) {
	id := p.str("file_id")
	if id == "" {
		return nil, badRequest("file_id not specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[strings.TrimSuffix(id, "-thumb")]
	if f == nil {
		return nil, badRequest("invalid file_id")
	}
	if f.size > maxDownload {
		return nil, badRequest("file is too big")
	}
	return map[string]any{
		"file_id":        id,
		"file_unique_id": f.uniqueID,
		"file_size":      f.size,
		"file_path":      f.path,
	}, nil
}

// serveFile serves a download; rest is "<token>/<file_path>".
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, filePath, _ := strings.Cut(rest, "/")
	var f *storedFile
	s.mu.Lock()
	if token == s.token {
		for _, cand := range s.files {
			if cand.path == filePath && cand.size <= maxDownload {
				f = cand
				break
			}
		}
	}
	s.mu.Unlock()
	if f == nil {
		s.answer(w, "file", 0, s.now(), nil, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	data := f.data
	if data == nil {
		data = filler(f.size)
	}
	w.Header().Set("Content-Type", f.mime)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

// filler makes up the contents of a file known only by its size.
func filler(size int64) []byte {
	const pattern = "fakeapi file contents\n"
	return bytes.Repeat([]byte(pattern), int(size)/len(pattern)+1)[:size]
}
