#!/usr/bin/env bash
# Proves the licence gate in the parent pom works: a scratch copy of the parent pom (with the real configuration and
# tools/licences/*) gets one throwaway module, and `mvn -B verify` must
#   1. FAIL, naming every artifact, for a GPL-2.0 jar (MySQL Connector/J 5.1.49), an AGPL-3.0 jar (iText 5.5.13.3) and
#      a jar whose pom has no licence and that is not in the allow-list (Jakarta ORO 2.0.7), and
#   2. PASS for an LGPL jar (JFreeChart) plus the allow-listed licence-less jar (ORO 2.0.8, see
#      override-THIRD-PARTY.properties).
# Needs only Maven Central (the jars are small). Run from anywhere: tools/licences/check-gate.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
version="$(sed -n 's#^  <version>\(.*\)</version>$#\1#p' "$root/pom.xml" | head -1)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

make_project() { # $1 = the probe module's <dependency> elements
  rm -rf "$scratch/p" && mkdir -p "$scratch/p/probe" "$scratch/p/tools"
  cp -r "$root/tools/licences" "$scratch/p/tools/"
  # the real parent pom, with its modules replaced by the probe alone
  sed '/<modules>/,/<\/modules>/c\  <modules><module>probe</module></modules>' "$root/pom.xml" > "$scratch/p/pom.xml"
  cat > "$scratch/p/probe/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.peopleseg</groupId><artifactId>peopleseg-parent</artifactId><version>$version</version>
  </parent>
  <artifactId>peopleseg-licence-probe</artifactId>
  <dependencies>$1</dependencies>
</project>
POM
}

run_verify() { (cd "$scratch/p" && mvn -B verify > "$scratch/out.txt" 2>&1); }

make_project '
    <dependency><groupId>mysql</groupId><artifactId>mysql-connector-java</artifactId><version>5.1.49</version></dependency>
    <dependency><groupId>com.itextpdf</groupId><artifactId>itextpdf</artifactId><version>5.5.13.3</version></dependency>
    <dependency><groupId>oro</groupId><artifactId>oro</artifactId><version>2.0.7</version></dependency>'
if run_verify; then
  echo "FAIL: the licence gate let GPL/AGPL/unknown-licence dependencies through"; cat "$scratch/out.txt"; exit 1
fi
for name in 'mysql:mysql-connector-java:5.1.49' 'com.itextpdf:itextpdf:5.5.13.3' 'oro:oro:2.0.7'; do
  grep -q -F "($name " "$scratch/out.txt" || {
    echo "FAIL: the licence gate failed but did not name $name"; cat "$scratch/out.txt"; exit 1; }
done
grep -q 'There are some forbidden licenses used' "$scratch/out.txt" || {
  echo "FAIL: the build failed, but not at the licence gate"; cat "$scratch/out.txt"; exit 1; }
echo "ok: the gate fails and names the GPL-2.0, AGPL-3.0 and licence-less jars:"
sed 's/\x1b\[[0-9;]*m//g' "$scratch/out.txt" | grep -E "^\[WARNING\] License: |^ -" | sed 's/^/    /'

make_project '
    <dependency><groupId>org.jfree</groupId><artifactId>jfreechart</artifactId><version>1.5.4</version></dependency>
    <dependency><groupId>oro</groupId><artifactId>oro</artifactId><version>2.0.8</version></dependency>'
run_verify || { echo "FAIL: the licence gate rejected LGPL / an allow-listed jar"; cat "$scratch/out.txt"; exit 1; }
echo "ok: LGPL (JFreeChart) and the allow-listed licence-less ORO 2.0.8 pass:"
grep -E 'jfreechart|oro:oro' "$scratch/p/target/licences/THIRD-PARTY.txt" | sed 's/^ */    /'
