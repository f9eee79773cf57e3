# Extracts the ```csharp blocks of a Markdown file into programs for build/check-snippets.sh.
#
# usage: awk -v out=DIR -v src=PATH/OF/FILE.md -f build/extract-snippets.awk FILE.md
#
# Each ```csharp block becomes one program, DIR/<n>/Program.cs (n counts on from the highest folder number already
# in DIR, so several files can be extracted into one DIR). An HTML comment on the line right before the opening
# fence changes that:
#   <!-- snippet: continue -->   the block continues the previous block's program (it may use its variables)
#   <!-- snippet: skip -->       the block is not a program (a fragment); it is neither compiled nor run
# Using directives are moved to the top of the program (a continued block may bring its own). Every line carries a
# #line directive, so compiler errors name the Markdown file and line. DIR/<n>/source holds "FILE:LINE" of the
# first block of the program.
function flush(    f, i) {
    if (program == "") return
    f = out "/" program "/Program.cs"
    printf "" > f
    for (i = 1; i <= nusing; i++) printf "%s", usings[i] >> f
    printf "%s", body >> f
    printf "#line default\n" >> f
    close(f)
    program = ""; body = ""; nusing = 0; delete seen
}
BEGIN {
    cmd = "ls -1 \"" out "\" 2>/dev/null | grep -E '^[0-9]+$' | sort -n | tail -1"
    cmd | getline last; close(cmd)
    count = last + 0; inblock = 0; program = ""; previous = ""
}
{
    sub(/\r$/, "")
}
!inblock && /^```csharp[ \t]*$/ {
    inblock = 1
    marker = previous
    if (marker ~ /<!-- *snippet: *skip *-->/) { skipping = 1; next }
    skipping = 0
    if (marker ~ /<!-- *snippet: *continue *-->/ && program != "") next
    flush()
    count++
    program = sprintf("%03d", count)
    system("mkdir -p \"" out "/" program "\"")
    print src ":" NR + 1 > (out "/" program "/source"); close(out "/" program "/source")
    next
}
inblock && /^```[ \t]*$/ {
    inblock = 0; previous = ""
    next
}
inblock {
    if (skipping) next
    directive = "#line " NR " \"" src "\"\n"
    if ($0 ~ /^(global )?using (static )?[A-Za-z_][A-Za-z0-9_.]*;[ \t]*$/) {
        if (!($0 in seen)) { seen[$0] = 1; usings[++nusing] = directive $0 "\n" }
    } else {
        body = body directive $0 "\n"
    }
    next
}
{
    if ($0 !~ /^[ \t]*$/ || previous !~ /<!--/) previous = $0
}
END {
    if (inblock) { print src ": a ```csharp block is not closed" > "/dev/stderr"; exit 1 }
    flush()
}
