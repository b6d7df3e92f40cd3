// Command ferretdb runs FerretDB (a MongoDB wire-protocol server) on SQLite for local
// development and tests, where no MongoDB server can be installed. Never used in production.
package main

func main() {}
