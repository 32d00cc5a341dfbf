# Writes the bytes of INPUT as a comma-separated C initializer list to OUTPUT
# (cmake -DINPUT=... -DOUTPUT=... -P EmbedFile.cmake).
file(READ "${INPUT}" bytes HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp" "${bytes}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
