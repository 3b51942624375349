package catalog

import "testing"

func TestDefaultPort(t *testing.T) {
	for _, tt := range []struct {
		framework, language string
		want                int
	}{
		{"django", "python", 8000}, {"flask", "python", 5000}, {"streamlit", "python", 8501},
		{"", "python", 8000}, {"nextjs", "node", 3000}, {"astro", "node", 4321},
		{"express", "node", 3000}, {"gin", "go", 8080}, {"", "go", 8080}, {"", "", 8080},
	} {
		if got := DefaultPort(tt.framework, tt.language); got != tt.want {
			t.Errorf("DefaultPort(%q, %q) = %d, want %d", tt.framework, tt.language, got, tt.want)
		}
	}
	for _, name := range FrameworkPortNames() {
		if p, ok := FrameworkPort(name); !ok || p < 1 || p > 65535 {
			t.Errorf("FrameworkPort(%q) = %d, %v", name, p, ok)
		}
	}
}
