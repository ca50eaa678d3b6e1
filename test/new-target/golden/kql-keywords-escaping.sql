error[unsupported-keyword]: SQL has no search across all columns: a keyword needs a field
