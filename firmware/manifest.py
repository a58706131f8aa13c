# Freezes the micronn Python package (firmware/micronn) into the firmware.
package("micronn")
