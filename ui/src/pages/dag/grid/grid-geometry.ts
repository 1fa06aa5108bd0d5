/** Sizes of the grid, shared by its layers so they line up. */
export const LABEL_WIDTH = 260;
export const HEADER_HEIGHT = 96;
export const ROW_HEIGHT = 24;
export const COLUMN_WIDTH = 20;
export const CELL_SIZE = 14;
export const BAR_MAX_HEIGHT = 64;
