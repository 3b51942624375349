package catalog

// DefaultPorts is the port each framework listens on out of the box, keyed
// by framework name as Detection.Framework spells it. Detection writes it
// into a start command that needs a port before the code names one, and
// the generator may still change it through the command's port argument.
// Add an ecosystem's frameworks here rather than in its detector, so every
// default port is in one table. Read it; never write to it.
var DefaultPorts = map[string]int{
	"django":    8000, // manage.py runserver, gunicorn's and uvicorn's default
	"fastapi":   8000, // uvicorn's default
	"starlette": 8000, // uvicorn's default
	"litestar":  8000, // litestar run's and uvicorn's default
	"flask":     5000, // flask run and app.run()
	"streamlit": 8501,
	"gradio":    7860,
}

// PythonDefaultPort is the port of a Python web app whose framework has no
// entry in DefaultPorts: gunicorn's and uvicorn's own default.
const PythonDefaultPort = 8000
