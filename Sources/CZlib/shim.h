// zlib, for the DEFLATE stream and CRC-32 of PNG images.
#include <zlib.h>
