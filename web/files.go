package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// FileSource opens a file Telegram holds, by file_id.
type FileSource interface {
	Open(ctx context.Context, fileID string) (io.ReadCloser, error)
}

// BotFiles fetches files through the Bot API: getFile for the path, then
// the download. The token is in both URLs, so no URL or error that
// contains one ever leaves this type.
type BotFiles struct {
	APIURL string // https://api.telegram.org by default
	Token  string
	Client *http.Client
}

// errFetch is every failure to fetch a file, without the URL.
var errFetch = errors.New("web: fetching the file from Telegram failed")

// Open returns the file's bytes as a stream.
func (f BotFiles) Open(ctx context.Context, fileID string) (io.ReadCloser, error) {
	base := strings.TrimRight(f.APIURL, "/")
	if base == "" {
		base = "https://api.telegram.org"
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	get := func(u string) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, errFetch
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, errFetch
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("%w (HTTP %d)", errFetch, resp.StatusCode)
		}
		return resp, nil
	}
	resp, err := get(base + "/bot" + f.Token + "/getFile?file_id=" + url.QueryEscape(fileID))
	if err != nil {
		return nil, err
	}
	var answer struct {
		OK     bool `json:"ok"`
		Result struct {
			FilePath string `json:"file_path"`
		} `json:"result"`
	}
	err = json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&answer)
	resp.Body.Close()
	if err != nil || !answer.OK || answer.Result.FilePath == "" {
		return nil, errFetch
	}
	resp, err = get(base + "/file/bot" + f.Token + "/" + answer.Result.FilePath)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// file streams an attachment: /file/<attachment id>?m=<measure>&u=<unit>&p=<period>.
// The report's (measure, unit, period) finds it and decides who may see it.
func (s *Server) file(w http.ResponseWriter, r *http.Request, v *viewer) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	q := r.URL.Query()
	if err != nil || q.Get("m") == "" || q.Get("u") == "" || q.Get("p") == "" {
		return notFound("没有这个附件。")
	}
	if !v.maysee(q.Get("u")) {
		return forbidden()
	}
	if s.cfg.Files == nil {
		return notFound("附件不可用。")
	}
	period, err := plan.ParsePeriod(q.Get("p"))
	if err != nil {
		return notFound("没有这个附件。")
	}
	pl, err := s.planOf(r.Context(), period.Year())
	if err != nil {
		return err
	}
	versions, err := s.cfg.Store.History(r.Context(), pl.Key(), q.Get("m"), q.Get("u"), period)
	if err != nil {
		return err
	}
	for _, rep := range versions {
		for _, a := range rep.Attachments {
			if a.ID != id {
				continue
			}
			body, err := s.cfg.Files.Open(r.Context(), a.FileID)
			if err != nil {
				s.cfg.Log.Warn("web: attachment", "attachment", a.ID, "err", err)
				return &httpError{http.StatusBadGateway, "暂时无法从 Telegram 取回附件，请稍后再试。"}
			}
			defer body.Close()
			ctype := a.MimeType
			if ctype == "" {
				ctype = mime.TypeByExtension(path.Ext(a.FileName))
			}
			if ctype == "" && a.Kind == store.Photo {
				ctype = "image/jpeg" // Telegram keeps photos as JPEG
			}
			if ctype == "" {
				ctype = "application/octet-stream"
			}
			name := a.FileName
			if name == "" {
				name = fmt.Sprintf("%s-%d%s", a.Kind, a.ID, map[bool]string{true: ".jpg"}[a.Kind == store.Photo])
			}
			w.Header().Set("Content-Type", ctype)
			// Shown in the page when the browser can, never run: the CSP
			// and nosniff keep an uploaded HTML file inert.
			w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(name))
			w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
			w.Header().Set("Cache-Control", "private, max-age=3600")
			_, err = io.Copy(w, body)
			return err
		}
	}
	return notFound("没有这个附件。")
}
