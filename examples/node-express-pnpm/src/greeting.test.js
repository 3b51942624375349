import { test } from "node:test";
import assert from "node:assert/strict";
import { greeting } from "./greeting.js";

test("greeting names the caller", () => {
  assert.equal(greeting("Ada"), "Hello, Ada!");
  assert.equal(greeting(), "Hello, world!");
});
