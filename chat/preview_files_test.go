package chat

import "testing"

// A message with files and no text still says something in the chat list.
func TestPreviewNamesFiles(t *testing.T) {
	for _, c := range []struct {
		ats  []Attachment
		want string
	}{
		{nil, ""},
		{[]Attachment{{ContentType: "image/jpeg"}}, "photo"},
		{[]Attachment{{ContentType: "application/pdf"}, {ContentType: "image/png"}}, "file"},
	} {
		if got := filesKind(c.ats); got != c.want {
			t.Errorf("filesKind(%v) = %q, want %q", c.ats, got, c.want)
		}
	}
}
