# Resource-model calibration (docs/resources.md, "Calibration"). The model-vs-synthesis table runs
# from the recorded file as the gtest ResourceCalibration.*; this entry re-synthesises the smallest
# block live (three weight_sram sizes, a few seconds) to show the recorded counts still come out
# of yosys. Skipped where yosys is not installed.
find_program(SPARSESIM_YOSYS yosys)
if(SPARSESIM_YOSYS)
  add_test(NAME calibration_yosys_regenerates
    COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tools/calibrate-resources --check --only weight_sram --jobs 1)
  set_tests_properties(calibration_yosys_regenerates PROPERTIES TIMEOUT 120)
endif()
