package doctext

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkExtractPDF: a 20-page text PDF (about 48 lines a page), the size
// of a typical protocol or meeting report.
func BenchmarkExtractPDF(b *testing.B) {
	var lines []string
	for i := range 20 * 48 {
		lines = append(lines, fmt.Sprintf("Regel %d: de cliënt krijgt wondzorg volgens het protocol, controleer het verband.", i))
	}
	data := SimplePDF("Protocol", lines)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	chars := 0
	for b.Loop() {
		text, err := Extract(context.Background(), "application/pdf", data, Limits{MaxChars: 1 << 20, MaxPages: 200, Timeout: DefaultLimits.Timeout})
		if err != nil {
			b.Fatal(err)
		}
		chars = len(text)
	}
	b.ReportMetric(float64(chars), "chars")
}
