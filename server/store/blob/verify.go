package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
)

// DamagedError is a file whose bytes do not match its stored length or
// SHA-256: they changed after the upload (a disk fault, a hand edit).
type DamagedError struct {
	ID     string
	Reason string
}

func (e *DamagedError) Error() string { return fmt.Sprintf("file %s is damaged (%s)", e.ID, e.Reason) }

// Damaged marks the error for callers that must not import this package
// (httpapi.SendFile counts and logs damaged downloads apart).
func (e *DamagedError) Damaged() bool { return true }

// verifier checks a file's SHA-256 while it is read from the start to the
// end in order, as a whole download does: the read that would hand out the
// last bytes first finishes the digest and, on a mismatch, returns a
// DamagedError instead of those bytes. A reader of the whole file therefore
// never receives all of a damaged file's bytes (an HTTP answer with a
// Content-Length stays short, and the connection is cut). A read after a
// seek elsewhere (a Range request) is not checked: only the whole file has
// a digest. A read that hands out bytes is never cut, so only the last one
// can fail.
type verifier struct {
	io.ReadSeekCloser
	f       *File
	h       hash.Hash
	pos     int64 // the reader's position
	checked int64 // bytes hashed so far, from 0; -1 once found damaged
}

func newVerifier(f *File, r io.ReadSeekCloser) *verifier {
	return &verifier{ReadSeekCloser: r, f: f, h: sha256.New()}
}

func (v *verifier) Read(p []byte) (int, error) {
	n, err := v.ReadSeekCloser.Read(p)
	if n > 0 && v.checked == v.pos && v.checked >= 0 {
		v.h.Write(p[:n])
		v.checked += int64(n)
		if v.checked >= v.f.Length {
			if bad := v.verdict(); bad != nil {
				v.checked = -1
				return 0, bad
			}
		}
	}
	v.pos += int64(n)
	return n, err
}

func (v *verifier) verdict() error {
	if v.checked != v.f.Length {
		return &DamagedError{ID: v.f.ID, Reason: fmt.Sprintf("%d bytes, want %d", v.checked, v.f.Length)}
	}
	if hex.EncodeToString(v.h.Sum(nil)) != v.f.SHA256 {
		return &DamagedError{ID: v.f.ID, Reason: "SHA-256 mismatch"}
	}
	return nil
}

func (v *verifier) Seek(offset int64, whence int) (int64, error) {
	pos, err := v.ReadSeekCloser.Seek(offset, whence)
	if err == nil {
		// http.ServeContent seeks to the end and back to learn the size:
		// that breaks nothing, as only bytes read where the digest stands
		// are hashed.
		v.pos = pos
	}
	return pos, err
}
