// hiredis's reply reader (read.h) and command formatter, used by HubRedis as the codec of a
// SwiftNIO channel: hiredis does the RESP parsing, NIO does the non-blocking I/O.
#include <hiredis/hiredis.h>
