module moderation/scripts/ferretdb

go 1.26.8

require github.com/FerretDB/FerretDB/v2 v2.7.0 // indirect
