error[unsupported-fieldref]: this SQL dialect compares fields for equality only, not 'contains'
