// A module that throws while it loads, for the tests.
throw new Error("cannot start: missing configuration");
