package main

import (
	"io"
	"strings"

	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/dockerfilecheck/rules"
)

// SARIF 2.1.0, the subset GitHub code scanning reads: every rule with its
// help URI in tool.driver.rules, each result with ruleId, ruleIndex, level,
// message and a physical location relative to the repository.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string       `json:"id"`
		Name                 string       `json:"name"`
		ShortDescription     sarifText    `json:"shortDescription"`
		FullDescription      sarifText    `json:"fullDescription"`
		HelpURI              string       `json:"helpUri"`
		Help                 sarifText    `json:"help"`
		DefaultConfiguration sarifDefault `json:"defaultConfiguration"`
	}
	sarifDefault struct {
		Level string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
	}
)

// sarifSchema is the URI of the SARIF 2.1.0 JSON schema, as OASIS
// publishes it.
const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// sarifLevel maps a severity to SARIF's level.
func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "note"
}

// writeSARIF prints the report as a SARIF 2.1.0 log.
func writeSARIF(w io.Writer, rep checkReport) error {
	v, _, _ := buildVersion()
	driver := sarifDriver{Name: "dgen", Version: v, InformationURI: docsURL}
	index := map[string]int{}
	for i, r := range rules.Rules() {
		index[r.ID] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.ID, Name: r.ID,
			ShortDescription:     sarifText{r.Title},
			FullDescription:      sarifText{r.Why},
			HelpURI:              ruleDocs(r.ID),
			Help:                 sarifText{r.Why + " " + r.Fix},
			DefaultConfiguration: sarifDefault{sarifLevel(r.Severity)},
		})
	}
	results := []sarifResult{}
	for _, fd := range rep.Findings {
		msg := fd.Message + ". " + fd.Why + " Fix: " + fd.Fix
		if len(fd.Suggested) > 0 {
			msg += "\ndgen would write:\n" + strings.Join(fd.Suggested, "\n")
		}
		results = append(results, sarifResult{
			RuleID: fd.Rule, RuleIndex: index[fd.Rule], Level: sarifLevel(fd.Severity),
			Message: sarifText{msg},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: rep.File},
				// SARIF lines start at 1; a finding about the whole file
				// points at its first line.
				Region: sarifRegion{StartLine: max(fd.Line, 1)},
			}}},
		})
	}
	data, err := generator.IndentedJSON(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}}})
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}
