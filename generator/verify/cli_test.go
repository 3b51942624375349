package verify

import (
	"testing"
	"time"
)

func TestParseImageInspect(t *testing.T) {
	docker := `[{"Id":"sha256:1","Size":6300000,"Config":{"User":"65532:65532","ExposedPorts":{"8080/tcp":{},"53/udp":{}},
	  "Healthcheck":{"Test":["CMD","/busybox","wget"],"Interval":30000000000,"Timeout":5000000000,"StartPeriod":10000000000,"Retries":3}}}]`
	info, err := parseImageInspect([]byte(docker))
	if err != nil {
		t.Fatal(err)
	}
	if info.User != "65532:65532" || len(info.Exposed) != 1 || info.Exposed[0] != 8080 || info.Size != 6300000 ||
		info.Healthcheck == nil || info.Healthcheck.StartPeriod != 10*time.Second || info.Healthcheck.Retries != 3 {
		t.Errorf("docker: %+v %+v", info, info.Healthcheck)
	}
	// Podman keeps the Docker-format HEALTHCHECK beside the OCI config.
	podman := `[{"Id":"2","Size":1,"Config":{"User":"1000"},"Healthcheck":{"Test":["CMD-SHELL","curl -f localhost"],"Timeout":1000000000}}]`
	info, err = parseImageInspect([]byte(podman))
	if err != nil || info.Healthcheck == nil || info.Healthcheck.Test[0] != "CMD-SHELL" || info.Healthcheck.Timeout != time.Second {
		t.Errorf("podman: %+v %v", info, err)
	}
	if _, err := parseImageInspect([]byte(`[]`)); err == nil {
		t.Error("no image accepted")
	}
}

func TestParseTop(t *testing.T) {
	out := "USER        PID         COMMAND\nnonroot     1           /app -flag x\nroot        12          sh\n"
	ps := parseTop([]byte(out))
	if len(ps) != 2 || ps[0] != (Process{User: "nonroot", PID: "1", Args: "/app -flag x"}) || ps[1].User != "root" {
		t.Errorf("parseTop = %+v", ps)
	}
}
