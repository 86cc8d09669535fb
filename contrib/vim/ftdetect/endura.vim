" Vim filetype detection for Endura rules files, endura-rules(5)
" SPDX-License-Identifier: GPL-2.0-only
"
" *.rules is shared with udev, polkit and others: a .rules file is taken for Endura when it lies
" in a directory named endura (/etc/endura/rules.d/) or when its first statement is one of the
" rule language's (table, define, include, add, delete, flush...).

function! s:EnduraDetect(new)
  if expand('<amatch>:p') =~# '/endura/\%(.*/\)\=[^/]*\.rules$'
    set filetype=endura
    return
  endif
  if a:new
    return
  endif
  for line in getline(1, 50)
    if line =~# '^\s*\%(#.*\)\=$'
      continue
    endif
    if line =~# '^\s*\%(table\|define\|redefine\|undefine\|include\|add\|insert\|replace\|delete\|flush\)\s'
      set filetype=endura
    endif
    return
  endfor
endfunction

autocmd BufNewFile *.rules call s:EnduraDetect(1)
autocmd BufRead *.rules call s:EnduraDetect(0)
