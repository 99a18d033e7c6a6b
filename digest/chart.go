package digest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/luohu/reformbot/digest/chartfont"
	"github.com/luohu/reformbot/plan"
)

// The chart is what the office forwards to its leaders: in Chinese, one
// block per project with its number and name, and two bars per project
// that measure two different things:
//
//   - 填报率 (reporting): pairs reported ÷ pairs due, the bar coloured by
//     the project's light;
//   - 完成率 (completion): measures done ÷ measures, where a measure is
//     done when every one of its lead units (every unit, if it names no
//     lead) reports 已完成 for the period.
//
// Text is drawn with the fonts embedded in package chartfont, so the chart
// is the same on every server; it is 800 px wide with 20–30 px text, which
// stays legible when a phone shows it at its screen's width.

// ChartWidth is the chart's width in pixels.
const ChartWidth = 800

const (
	margin    = 24
	barLabelW = 60  // 填报 / 完成 before the bars
	valueW    = 140 // "100% 12/12" after them
	fillH     = 28  // the 填报率 bar
	doneH     = 18  // the 完成率 bar
	legendH   = 38
)

// Colours of the chart; the lights match the traffic lights people know.
var (
	colBackground = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	colText       = color.RGBA{0x20, 0x21, 0x24, 0xFF}
	colMuted      = color.RGBA{0x5F, 0x63, 0x68, 0xFF}
	colGrid       = color.RGBA{0xDA, 0xDC, 0xE0, 0xFF}
	colTrack      = color.RGBA{0xF1, 0xF3, 0xF4, 0xFF}
	colDone       = color.RGBA{0x1A, 0x73, 0xE8, 0xFF}
	colLight      = map[Light]color.RGBA{
		Red:    {0xD9, 0x30, 0x25, 0xFF},
		Yellow: {0xF2, 0xB9, 0x0C, 0xFF},
		Green:  {0x1E, 0x8E, 0x3E, 0xFF},
	}
)

// labelSize is the project names' text size in pixels.
const labelSize = 28

// lightLegend says what the lights mean, in the words of the package doc.
var lightLegend = []struct {
	light Light
	text  string
}{
	{Red, "红：有困难/缺报过半"},
	{Yellow, "黄：滞后/缺报/停滞"},
	{Green, "绿：全报无滞后"},
}

// chartRow is one project's block.
type chartRow struct {
	id, label        string // "2.1", "2.1 强区放权体制机制改革" as fitted
	light            Light
	labelAt          image.Point
	fillTrack, fill  image.Rectangle // 填报率
	doneTrack, done  image.Rectangle // 完成率
	fillText         string
	doneText         string
	fillAt, doneAt   image.Point
	fillTag, doneTag image.Point // where 填报 and 完成 go
}

// chartLayout places everything; drawing and tests share it.
type chartLayout struct {
	size     image.Point
	title    string
	summary  [2]string
	legendY  int
	ticksY   int
	rows     []chartRow
	bottom   int // below the last row
	barX     int
	barW     int
	faces    chartFaces
	complete completion
}

type chartFaces struct {
	title, label, small *textFace
}

// completion counts measures done per project and overall.
type completion struct {
	byProject map[string][2]int // project ID → done, measures
	done, all int
}

// completion applies the 完成率 rule above to the digest's measures.
func (d *Digest) completion() completion {
	c := completion{byProject: map[string][2]int{}}
	for _, m := range d.Measures {
		if len(m.Units) == 0 {
			continue
		}
		hasLead := false
		for _, u := range m.Units {
			hasLead = hasLead || u.Role == plan.Lead
		}
		done := true
		for _, u := range m.Units {
			if (u.Role == plan.Lead || !hasLead) && (!u.Reported || u.Status != plan.Done) {
				done = false
			}
		}
		n := c.byProject[m.ProjectID]
		n[1]++
		c.all++
		if done {
			n[0]++
			c.done++
		}
		c.byProject[m.ProjectID] = n
	}
	return c
}

func (d *Digest) layout() (chartLayout, error) {
	fonts, err := chartfont.Load()
	if err != nil {
		return chartLayout{}, fmt.Errorf("digest: chart fonts: %w", err)
	}
	var l chartLayout
	if l.faces.title, err = newTextFace(fonts, 34, true); err != nil {
		return l, err
	}
	if l.faces.label, err = newTextFace(fonts, labelSize, false); err != nil {
		return l, err
	}
	if l.faces.small, err = newTextFace(fonts, 24, false); err != nil {
		return l, err
	}
	l.complete = d.completion()
	t := d.Totals
	l.title = d.Period.Label() + " 各项目填报率和完成率"
	width := ChartWidth - 2*margin
	l.summary[0] = l.faces.small.fit(fmt.Sprintf("总填报率 %d%%（%d/%d），完成率 %d%%（%d/%d 项）",
		t.Percent(), t.Reported, t.Pairs, Percent(l.complete.done, l.complete.all), l.complete.done, l.complete.all), width)
	l.summary[1] = l.faces.small.fit(fmt.Sprintf("存在困难 %d 项，停滞 %d 项", t.Difficulties, t.Stalled), width)

	l.barX = margin + barLabelW
	l.barW = ChartWidth - l.barX - 12 - valueW - margin
	y := margin + l.faces.title.height + 8 + 2*l.faces.small.height + 16
	l.legendY = y
	y += 3*legendH + 12
	l.ticksY = y
	y += l.faces.small.height + 8
	for _, c := range d.Categories {
		for _, p := range c.Projects {
			r := chartRow{id: p.ID, light: p.Light}
			r.label = l.faces.label.fit(p.ID+" "+p.Title, width)
			r.labelAt = image.Pt(margin, y)
			y += l.faces.label.height + 6
			r.fillTrack = image.Rect(l.barX, y, l.barX+l.barW, y+fillH)
			r.fill = image.Rect(l.barX, y, l.barX+l.barW*p.Reported/max(p.Total, 1), y+fillH)
			r.fillText = fmt.Sprintf("%d%% %d/%d", p.Percent(), p.Reported, p.Total)
			r.fillAt = image.Pt(l.barX+l.barW+12, y+(fillH-l.faces.small.height)/2)
			r.fillTag = image.Pt(margin, y+(fillH-l.faces.small.height)/2)
			y += fillH + 6
			n := l.complete.byProject[p.ID]
			r.doneTrack = image.Rect(l.barX, y, l.barX+l.barW, y+doneH)
			r.done = image.Rect(l.barX, y, l.barX+l.barW*n[0]/max(n[1], 1), y+doneH)
			r.doneText = fmt.Sprintf("%d%% %d/%d", Percent(n[0], n[1]), n[0], n[1])
			r.doneAt = image.Pt(l.barX+l.barW+12, y+(doneH-l.faces.small.height)/2)
			r.doneTag = image.Pt(margin, y+(doneH-l.faces.small.height)/2)
			y += doneH + 22
			l.rows = append(l.rows, r)
		}
	}
	if len(l.rows) == 0 {
		y += 48 // room for 本期没有项目
	}
	l.bottom = y
	l.size = image.Pt(ChartWidth, y+margin)
	return l, nil
}

// PNG renders the chart: per project its 填报率 bar coloured by its light
// and its 完成率 bar, under a legend in Chinese. The output depends only on
// the digest.
func (d *Digest) PNG() ([]byte, error) {
	l, err := d.layout()
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rectangle{Max: l.size})
	fill(img, img.Bounds(), colBackground)
	f := l.faces
	f.title.draw(img, image.Pt(margin, margin), l.title, colText)
	f.small.draw(img, image.Pt(margin, margin+f.title.height+8), l.summary[0], colMuted)
	f.small.draw(img, image.Pt(margin, margin+f.title.height+8+f.small.height), l.summary[1], colMuted)

	// Legend: what each bar measures, then what the colours mean.
	y := l.legendY
	sw := func(x, y, w, h int, c color.RGBA) { fill(img, image.Rect(x, y, x+w, y+h), c) }
	sw(margin, y+6, 30, 8, colLight[Green])
	sw(margin, y+14, 30, 8, colLight[Yellow])
	sw(margin, y+22, 30, 8, colLight[Red])
	f.small.draw(img, image.Pt(margin+40, y+2), "填报率 = 已填报 ÷ 应填报，颜色为红黄绿灯", colText)
	y += legendH
	sw(margin, y+9, 30, doneH, colDone)
	f.small.draw(img, image.Pt(margin+40, y+2), "完成率 = 牵头单位报“已完成”的任务 ÷ 任务数", colText)
	y += legendH
	x := margin
	for _, e := range lightLegend {
		sw(x, y+6, 22, 22, colLight[e.light])
		box := f.small.draw(img, image.Pt(x+28, y+2), e.text, colText)
		x = box.Max.X + 14
	}

	for i := 0; i <= 4; i++ {
		gx := l.barX + l.barW*i/4
		label := fmt.Sprint(25 * i)
		if i == 4 {
			label += "%"
		}
		w := f.small.width(label)
		lx := min(max(gx-w/2, l.barX), ChartWidth-margin-w)
		f.small.draw(img, image.Pt(lx, l.ticksY), label, colMuted)
	}
	for _, r := range l.rows {
		f.label.draw(img, r.labelAt, r.label, colText)
		for _, bar := range []struct {
			track, bar image.Rectangle
			c          color.RGBA
			tag, text  string
			tagAt, at  image.Point
		}{
			{r.fillTrack, r.fill, colLight[r.light], "填报", r.fillText, r.fillTag, r.fillAt},
			{r.doneTrack, r.done, colDone, "完成", r.doneText, r.doneTag, r.doneAt},
		} {
			fill(img, bar.track, colTrack)
			// Grid lines show through the track but not through the bar.
			for i := 0; i <= 4; i++ {
				gx := l.barX + l.barW*i/4
				fill(img, image.Rect(gx, bar.track.Min.Y, gx+1, bar.track.Max.Y), colGrid)
			}
			fill(img, bar.bar, bar.c)
			f.small.draw(img, bar.tagAt, bar.tag, colMuted)
			f.small.draw(img, bar.at, bar.text, colText)
		}
	}
	if len(l.rows) == 0 {
		f.label.draw(img, image.Pt(margin, l.ticksY+f.small.height+16), "本期没有需要填报的项目", colText)
	}

	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("digest: png: %w", err)
	}
	return buf.Bytes(), nil
}

func fill(img draw.Image, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}
