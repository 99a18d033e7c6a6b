package schedule

import (
	"os"
	"sync"
	"time"
)

// FileCalendar is ChinaCalendar with the office's holidays file, read again
// when the file changes, so that `reformbot calendar add` takes effect in a
// running serve. The file is looked at no more than once a minute; a file
// that no longer parses leaves the last good data in force (Err says why).
type FileCalendar struct {
	path string
	now  func() time.Time

	mu      sync.Mutex
	cal     ChinaCalendar
	modTime time.Time
	size    int64
	checked time.Time
	err     error
}

// recheck is how often a FileCalendar looks at its file.
const recheck = time.Minute

// NewFileCalendar loads the holidays file at path (none is no extra data);
// now is the clock for rechecks, time.Now when nil.
func NewFileCalendar(path string, now func() time.Time) (*FileCalendar, error) {
	if now == nil {
		now = time.Now
	}
	f := &FileCalendar{path: path, now: now}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reload()
	if f.err != nil {
		return nil, f.err
	}
	return f, nil
}

// reload reads the file if it changed. f.mu is held.
func (f *FileCalendar) reload() {
	f.checked = f.now()
	info, err := os.Stat(f.path)
	if err == nil && info.ModTime().Equal(f.modTime) && info.Size() == f.size {
		return
	}
	h, err := LoadHolidays(f.path)
	if err != nil {
		f.err = err
		return
	}
	f.cal, f.err = ChinaCalendar{Extra: h}, nil
	if info != nil {
		f.modTime, f.size = info.ModTime(), info.Size()
	} else {
		f.modTime, f.size = time.Time{}, 0
	}
}

func (f *FileCalendar) current() ChinaCalendar {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.now().Sub(f.checked) >= recheck {
		f.reload()
	}
	return f.cal
}

// Path is the holidays file.
func (f *FileCalendar) Path() string { return f.path }

// Err is why the file's latest version could not be used, or nil.
func (f *FileCalendar) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// IsWorkday implements Calendar.
func (f *FileCalendar) IsWorkday(t time.Time) bool { return f.current().IsWorkday(t) }

// Day is ChinaCalendar.Day.
func (f *FileCalendar) Day(t time.Time) (bool, string) { return f.current().Day(t) }

// Covers is ChinaCalendar.Covers.
func (f *FileCalendar) Covers(year int) bool { return f.current().Covers(year) }

// Source is ChinaCalendar.Source.
func (f *FileCalendar) Source(year int) string { return f.current().Source(year) }
