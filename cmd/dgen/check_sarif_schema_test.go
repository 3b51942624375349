package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchemaEnv names the SARIF 2.1.0 JSON schema file
// (sarif-2.1.0-rtm.5.json, the OASIS standard's schema). .ci/run fetches
// it, checked by its hash, from the npm package @microsoft/jest-sarif
// (MIT), since no Go module ships it and tests must not reach the network.
const sarifSchemaEnv = "DGEN_SARIF_SCHEMA"

// TestCheckSARIFSchema: dgen check --sarif validates against the SARIF
// 2.1.0 schema, for a Dockerfile with findings and for a clean one. CI
// always has the schema (it fails if it cannot fetch it); elsewhere the
// test runs when DGEN_SARIF_SCHEMA names the file.
func TestCheckSARIFSchema(t *testing.T) {
	path := os.Getenv(sarifSchemaEnv)
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is not set: .ci/run fetches the SARIF schema and sets it", sarifSchemaEnv)
		}
		t.Skipf("%s is not set: .ci/run fetches the SARIF 2.1.0 schema and sets it", sarifSchemaEnv)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", sarifSchemaEnv, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	clean := filepath.Join(t.TempDir(), "clean")
	if err := os.MkdirAll(clean, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(clean, "Dockerfile"), []byte(readFile(t, filepath.Join("..", "..", "examples", "go-stdlib", "Dockerfile"))), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir  string
		code int
	}{{poorExample, exitError}, {clean, 0}} {
		r := runDgen(t, nil, nil, "check", "--sarif", "--strict", "--dir", tc.dir)
		if r.code != tc.code {
			t.Fatalf("%s: exit %d, want %d\n%s", tc.dir, r.code, tc.code, r.stderr)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(r.stdout)))
		if err != nil {
			t.Fatalf("%s: output is not JSON: %v", tc.dir, err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: the SARIF output does not validate against %s: %v", tc.dir, path, err)
		}
		// The schema can fail: a level SARIF does not define is refused.
		if bad := strings.Replace(r.stdout, `"level": "warning"`, `"level": "severe"`, 1); bad != r.stdout {
			inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
			if schema.Validate(inst) == nil {
				t.Errorf("%s: a result with level \"severe\" validates: the schema check cannot fail", tc.dir)
			}
		} else if tc.code != 0 {
			t.Errorf("%s: no \"level\": \"warning\" in the output to break", tc.dir)
		}
		var log struct {
			Runs []struct{ Results []json.RawMessage } `json:"runs"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 {
			t.Fatalf("%s: runs = %v, %v", tc.dir, log.Runs, err)
		}
		if (tc.code == 0) != (len(log.Runs[0].Results) == 0) {
			t.Errorf("%s: %d results with exit %d", tc.dir, len(log.Runs[0].Results), tc.code)
		}
	}
}
