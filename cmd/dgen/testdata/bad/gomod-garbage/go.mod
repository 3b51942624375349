this is not a go.mod {{{
require (
  missing close
