module github.com/acme/janitor

go 1.26
