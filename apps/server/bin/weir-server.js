#!/usr/bin/env node
// A committed shim, so npm links the bin on a fresh clone before the build has made dist/.
import "../dist/main.js";
