package short

import "testing"

// Raw HTML in a message or post is its text, shown escaped: a body that
// starts with <script> is not shown empty (#14 §7).
func TestRawHTMLShownAsText(t *testing.T) {
	r := New()
	for in, want := range map[string]string{
		"<script>alert(1)</script> Hallo":               "<p>&lt;script&gt;alert(1)&lt;/script&gt; Hallo</p>",
		"<script>alert(1)</script>\nHallo team":         "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>Hallo team</p>",
		"Hallo <b>vet</b>":                              "<p>Hallo &lt;b&gt;vet&lt;/b&gt;</p>",
		"<div>\nregel een\nregel twee\n</div>":          "<p>&lt;div&gt;<br>\nregel een<br>\nregel twee<br>\n&lt;/div&gt;</p>",
		"<img src=x onerror=alert(1)> na de afbeelding": "<p>&lt;img src=x onerror=alert(1)&gt; na de afbeelding</p>",
	} {
		if got := r.Render(in, nil).HTML; got != want {
			t.Errorf("Render(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
