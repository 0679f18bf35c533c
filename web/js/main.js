// Basin page entry point.
