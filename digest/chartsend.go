package digest

import (
	"bytes"
	"image/png"
)

// PhotoMaxSide is the longest side Telegram keeps of a photo: it shrinks a
// larger one to fit. The chart is ChartWidth (800) px wide with 20–30 px
// text, about 117 px a project; up to this height (18 projects) a
// photo keeps every pixel. A taller one would be shrunk (a 60-project
// chart, 7367 px, to 277 px wide with 8 px text) and past 10000 px of
// width + height refused, so it goes as a document: the office opens
// the full-size image and zooms. One image, not several, so the leaders
// get the whole plan on one page as before and the outbox keeps one row.
const PhotoMaxSide = 2560

// ChartIsPhoto reports whether the chart PNG reads well when sent as a
// Telegram photo; when not, send it as a document named ChartFileName.
func ChartIsPhoto(chart []byte) bool {
	cfg, err := png.DecodeConfig(bytes.NewReader(chart))
	return err == nil && cfg.Width <= PhotoMaxSide && cfg.Height <= PhotoMaxSide
}

// ChartFileName is the chart's file name, e.g. 2026年3月进展图.png: what the
// office sees when the chart comes as a document and what it saves.
func (d *Digest) ChartFileName() string { return d.Period.Label() + "进展图.png" }
