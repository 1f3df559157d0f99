require "vacation"; vacation :days 1 text:
x
.
;